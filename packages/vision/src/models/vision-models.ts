/**
 * VisionModels over local ONNX files: the registry resolves ids, the session pool runs the
 * models, the tasks' pre- and post-processing turn pixels into tensors and outputs into results.
 * One session.run per image, except for models with a dynamic batch dimension, whose images go
 * through in chunks of `maxBatchSize`. The AbortSignal is checked before and after every run.
 */
import { readFile } from "node:fs/promises";
import type { InferenceSession } from "onnxruntime-node";
import { modelFileMissing, modelTaskMismatch } from "../errors.js";
import { classificationResult } from "../tasks/classification.js";
import { decodeDetections } from "../tasks/decode-detections.js";
import type { ModelOutput } from "../tasks/model-tensors.js";
import { freeNow } from "../tasks/free-now.js";
import { inputLength, prepareInput, type InputTransform } from "../tasks/preprocess.js";
import { recognizeText } from "./recognize-text.js";
import { ModelRegistry } from "./registry.js";
import { runSession } from "./run-session.js";
import { SessionPool, type SessionLease, type SessionPoolOptions } from "./sessions.js";
import type { ClassificationResult, DetectionParams, DetectionResult, ModelImage, ModelSpec, ModelTask, OcrResult, VisionModels } from "./types.js";

export interface VisionModelsOptions extends SessionPoolOptions {
  /** The folder of registry.json and the model files (default $CVFLOW_MODELS_DIR, else ./models). */
  modelsDir?: string;
  /** A registry already loaded, instead of modelsDir. */
  registry?: ModelRegistry;
  /** Images per session.run for models whose batch dimension is dynamic (default 8). */
  maxBatchSize?: number;
}

export interface LocalVisionModels extends VisionModels {
  /** Loaded on first use, so that building the models costs nothing until one is needed. */
  readonly registry: ModelRegistry;
  readonly sessions: SessionPool;
  /**
   * Creates and warms the sessions of these models ahead of their first use (at a server's
   * start, say), one after the other. Without it, a model's first request creates its session.
   */
  preload(modelIds: readonly string[]): Promise<void>;
  /**
   * Starts preparing `image`'s input for the detector (or segmenter) `modelId` now — sharp
   * resizes on libuv's pool, the planes are written once it is done — so that the next
   * detect()/segment() of this very image object by that model takes it instead of preparing it
   * again. A video pipeline letterboxes the next frame this way while the model runs on the
   * current one. Other tasks, and unknown models, ignore it; an input never taken goes with its image.
   */
  prepareAhead(modelId: string, image: ModelImage): void;
}

/** An image's input being written into its buffer; `transform` settles once it is written. */
interface PreparedInput {
  input: Float32Array;
  transform: Promise<InputTransform>;
}

/**
 * 16 rather than 8: a crowd's 14 crops then go through one run instead of two, 2-3 % faster on
 * detect → crop → classify. The price is the arena onnxruntime keeps for the largest batch run:
 * for mobilenetv2 about 63 MB after a 16-image run instead of 30 MB after an 8-image one.
 */
const DEFAULT_MAX_BATCH_SIZE = 16;
const DETECTORS: ModelTask[] = ["object-detection", "instance-segmentation", "face-detection"];
/**
 * Input buffers kept per size for reuse: two serve a pipeline — one in the run, the next image's
 * prepared ahead (prepareAhead: a video's next frame, a batch worker's next images) — or requests
 * that come one after another; more running at the same time allocate more, which are dropped
 * after. With one kept, a batch worker reading two images ahead allocated a new 4.9 MB input for
 * most images: 131-167 ms of GC over 60 images against 14 ms with two. Sizes are one input per
 * model (5 MB for a 640 detector), and for batched models a power of two of them up to a whole chunk.
 */
const SPARE_BUFFERS_PER_SIZE = 2;

/**
 * Input tensors' buffers, reused from run to run. A 640 detector's input is 4.9 MB of external
 * memory, and allocating one per image drives V8's full mark-compacts (measured: 28 → 19 of them
 * over 75 one-step detection runs once reused). A buffer is handed back once its run has finished
 * (onnxruntime reads it only during the run), and is overwritten in full before its next use
 * (preprocessing writes every element of its slots).
 */
class InputBuffers {
  private readonly spare = new Map<number, Float32Array[]>();

  take(length: number): Float32Array {
    return this.spare.get(length)?.pop() ?? new Float32Array(length);
  }

  give(buffer: Float32Array): void {
    let list = this.spare.get(buffer.length);
    if (!list) this.spare.set(buffer.length, (list = []));
    if (list.length < SPARE_BUFFERS_PER_SIZE) list.push(buffer);
  }
}

/** OCR's keys: one entry a line; only a final newline is not an entry (a line may hold a space). */
async function readDictionary(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    // Listed in registry.json, gone from the folder since: not installed, like a missing ONNX file.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw modelFileMissing(path);
    throw error;
  }
  return text.replace(/\r?\n$/, "").split(/\r?\n/);
}

export function createVisionModels(options: VisionModelsOptions = {}): LocalVisionModels {
  let loaded = options.registry;
  const registry = (): ModelRegistry => (loaded ??= ModelRegistry.load(options.modelsDir));
  const sessions = new SessionPool(options);
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
  const dictionaries = new Map<string, Promise<string[]>>();
  const buffers = new InputBuffers();
  /** Inputs prepared ahead (prepareAhead), per image and model id, until detectEach takes them. */
  const ahead = new WeakMap<ModelImage, Map<string, PreparedInput>>();

  function startPreparing(spec: ModelSpec, image: ModelImage): PreparedInput {
    const input = buffers.take(inputLength(spec));
    return { input, transform: prepareInput(image, spec, input) };
  }

  function takePrepared(spec: ModelSpec, image: ModelImage): PreparedInput {
    const early = ahead.get(image)?.get(spec.id);
    if (!early) return startPreparing(spec, image);
    ahead.get(image)!.delete(spec.id);
    return early;
  }

  function specFor(modelId: string, tasks: readonly ModelTask[], method: string): ModelSpec {
    const spec = registry().spec(modelId);
    if (!tasks.includes(spec.task)) {
      const fitting = registry().list().filter((known) => tasks.includes(known.task)).map((known) => known.id);
      throw modelTaskMismatch(modelId, spec.task, tasks, fitting, method);
    }
    return spec;
  }

  /** One session.run on a [batch, 3, H, W] input; the outputs in the model's order. */
  function run(session: InferenceSession, spec: ModelSpec, input: Float32Array, batch: number, signal?: AbortSignal): Promise<ModelOutput[]> {
    return runSession(session, { data: input, dims: [batch, 3, spec.input.height, spec.input.width] }, signal);
  }

  /**
   * The model's session, leased while its first input is being prepared: a session made on first
   * use is then created (on the main thread) while sharp resizes the image (on libuv's pool),
   * instead of after it. A failed preparation is reported first, as when done one after the other.
   */
  async function leaseWhile<T>(spec: ModelSpec, preparing: Promise<T>): Promise<[T, SessionLease]> {
    const [prepared, leased] = await Promise.allSettled([preparing, sessions.lease(registry().file(spec, "model"))]);
    if (prepared.status === "rejected") {
      if (leased.status === "fulfilled") leased.value.release();
      throw prepared.reason;
    }
    if (leased.status === "rejected") throw leased.reason;
    return [prepared.value, leased.value];
  }

  async function detectEach(
    spec: ModelSpec,
    images: readonly ModelImage[],
    params: DetectionParams | undefined,
    withMasks: boolean,
    signal?: AbortSignal,
  ): Promise<DetectionResult[]> {
    signal?.throwIfAborted();
    const results: DetectionResult[] = [];
    let lease: SessionLease | undefined;
    try {
      for (const image of images) {
        const { input, transform: preparing } = takePrepared(spec, image);
        try {
          let transform: InputTransform;
          if (lease) transform = await preparing;
          else [transform, lease] = await leaseWhile(spec, preparing);
          const outputs = await run(lease.session, spec, input, 1, signal);
          results.push(decodeDetections(spec, outputs, transform, image, params, withMasks));
          // The result holds none of the outputs (boxes, scores and masks are copies).
          for (const output of outputs) freeNow(output.data);
        } finally {
          buffers.give(input);
        }
      }
    } finally {
      lease?.release();
    }
    return results;
  }

  function dictionary(path: string): Promise<string[]> {
    let words = dictionaries.get(path);
    if (!words) {
      const reading = readDictionary(path);
      dictionaries.set(path, reading);
      // A failed read is not kept: once the file is back (npm run models), the next request reads it.
      reading.catch(() => {
        if (dictionaries.get(path) === reading) dictionaries.delete(path);
      });
      words = reading;
    }
    return words;
  }

  return {
    get registry() {
      return registry();
    },
    sessions,

    async preload(modelIds) {
      for (const modelId of modelIds) {
        const spec = registry().spec(modelId);
        for (const [role, file] of Object.entries(spec.files)) {
          if (file.endsWith(".onnx")) await sessions.preload(registry().file(spec, role));
        }
      }
    },

    prepareAhead(modelId, image) {
      let spec: ModelSpec;
      try {
        spec = registry().spec(modelId);
      } catch {
        return; // an unknown model: its run reports it
      }
      if (!DETECTORS.includes(spec.task)) return;
      let prepared = ahead.get(image);
      if (!prepared) ahead.set(image, (prepared = new Map()));
      if (prepared.has(spec.id)) return;
      const early = startPreparing(spec, image);
      // A failure is reported by the run that takes this input; until then it is no unhandled rejection.
      early.transform.catch(() => undefined);
      prepared.set(spec.id, early);
    },

    spec: (modelId) => registry().spec(modelId),
    list: () => registry().list(),

    async detect(modelId, images, params, signal) {
      return detectEach(specFor(modelId, DETECTORS, "detection"), images, params, false, signal);
    },

    async segment(modelId, images, params, signal) {
      return detectEach(specFor(modelId, ["instance-segmentation"], "instance segmentation"), images, params, true, signal);
    },

    async classify(modelId, images, _params, signal): Promise<ClassificationResult[]> {
      // Every class is returned with its score; applying `confidence` is the caller's business.
      const spec = specFor(modelId, ["classification", "multi-label-classification"], "classification");
      const multiLabel = spec.task === "multi-label-classification";
      const chunkSize = spec.dynamicBatch ? maxBatchSize : 1;
      signal?.throwIfAborted();
      const results: ClassificationResult[] = [];
      let lease: SessionLease | undefined;
      try {
        for (let start = 0; start < images.length; start += chunkSize) {
          const chunk = images.slice(start, start + chunkSize);
          // A buffer for a power of two of images (few sizes to reuse), of which the chunk uses the start.
          const capacity = Math.min(chunkSize, 2 ** Math.ceil(Math.log2(chunk.length)));
          const buffer = buffers.take(capacity * inputLength(spec));
          const input = buffer.subarray(0, chunk.length * inputLength(spec));
          let logits: ModelOutput | undefined;
          try {
            // All settled before the buffer can go back: a failed image must not leave others still writing into it.
            const preparing = Promise.allSettled(chunk.map((image, i) => prepareInput(image, spec, input, i)));
            let prepared: PromiseSettledResult<InputTransform>[];
            if (lease) prepared = await preparing;
            else [prepared, lease] = await leaseWhile(spec, preparing);
            const failed = prepared.find((outcome) => outcome.status === "rejected");
            if (failed) throw failed.reason;
            [logits] = await run(lease.session, spec, input, chunk.length, signal);
          } finally {
            buffers.give(buffer);
          }
          const classes = logits!.dims[1]!;
          chunk.forEach((image, i) => {
            results.push(classificationResult(logits!.data.subarray(i * classes, (i + 1) * classes), spec.classes, multiLabel, image.width, image.height));
          });
        }
      } finally {
        lease?.release();
      }
      return results;
    },

    async ocr(modelId, images, signal): Promise<OcrResult[]> {
      const spec = specFor(modelId, ["ocr"], "OCR");
      const words = await dictionary(registry().file(spec, "keys"));
      const leases: SessionLease[] = [];
      try {
        for (const role of ["det", "cls", "rec"]) leases.push(await sessions.lease(registry().file(spec, role)));
        const [det, cls, rec] = leases.map((lease) => lease.session);
        const results: OcrResult[] = [];
        for (const image of images) {
          signal?.throwIfAborted();
          results.push(await recognizeText(image, { det: det!, cls: cls!, rec: rec! }, words, signal));
        }
        return results;
      } finally {
        for (const lease of leases) lease.release();
      }
    },
  };
}
