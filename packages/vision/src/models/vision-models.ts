/**
 * VisionModels over local ONNX files: the registry resolves ids, the session pool runs the
 * models, the tasks' pre- and post-processing turn pixels into tensors and outputs into results.
 * One session.run per image, except for models with a dynamic batch dimension, whose images go
 * through in chunks of `maxBatchSize`. The AbortSignal is checked before and after every run.
 */
import { readFile } from "node:fs/promises";
import { WorkflowError } from "@cvflow/engine";
import { Tensor } from "onnxruntime-node";
import type { RawPixels } from "../images/workflow-image.js";
import { classificationResult } from "../tasks/classification.js";
import { decodeDetections, type ModelOutput } from "../tasks/decode-detections.js";
import { recognizeText } from "../tasks/ocr/pipeline.js";
import { inputLength, prepareInput } from "../tasks/preprocess.js";
import { ModelRegistry } from "./registry.js";
import { SessionPool, type SessionLease, type SessionPoolOptions } from "./sessions.js";
import type { ClassificationResult, DetectionParams, DetectionResult, ModelSpec, ModelTask, OcrResult, VisionModels } from "./types.js";

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
}

const DEFAULT_MAX_BATCH_SIZE = 8;
const DETECTORS: ModelTask[] = ["object-detection", "instance-segmentation", "face-detection"];

export function createVisionModels(options: VisionModelsOptions = {}): LocalVisionModels {
  let loaded = options.registry;
  const registry = (): ModelRegistry => (loaded ??= ModelRegistry.load(options.modelsDir));
  const sessions = new SessionPool(options);
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
  const dictionaries = new Map<string, Promise<string[]>>();

  function specFor(modelId: string, tasks: readonly ModelTask[], method: string): ModelSpec {
    const spec = registry().spec(modelId);
    if (!tasks.includes(spec.task)) {
      throw new WorkflowError(
        "model_task_mismatch",
        `Model "${modelId}" is a ${spec.task} model; ${method} needs ${tasks.join(" or ")}`,
        400,
        { modelId, task: spec.task, expected: tasks },
      );
    }
    return spec;
  }

  /** One session.run on a [batch, 3, H, W] input; the outputs in the model's order. */
  async function run(spec: ModelSpec, input: Float32Array, batch: number, signal?: AbortSignal): Promise<ModelOutput[]> {
    signal?.throwIfAborted();
    const outputs = await sessions.use(registry().file(spec, "model"), async (session) => {
      const tensor = new Tensor("float32", input, [batch, 3, spec.input.height, spec.input.width]);
      const results = await session.run({ [session.inputNames[0]!]: tensor });
      return session.outputNames.map((name) => ({ data: results[name]!.data as Float32Array, dims: results[name]!.dims }));
    });
    signal?.throwIfAborted();
    return outputs;
  }

  async function detectEach(
    spec: ModelSpec,
    images: readonly RawPixels[],
    params: DetectionParams | undefined,
    withMasks: boolean,
    signal?: AbortSignal,
  ): Promise<DetectionResult[]> {
    const results: DetectionResult[] = [];
    for (const image of images) {
      const input = new Float32Array(inputLength(spec));
      const transform = await prepareInput(image, spec, input);
      const outputs = await run(spec, input, 1, signal);
      results.push(decodeDetections(spec, outputs, transform, image, params, withMasks));
    }
    return results;
  }

  function dictionary(path: string): Promise<string[]> {
    let words = dictionaries.get(path);
    if (!words) {
      // One entry a line; only a final newline is not an entry (a line may hold a space).
      words = readFile(path, "utf8").then((text) => text.replace(/\r?\n$/, "").split(/\r?\n/));
      dictionaries.set(path, words);
    }
    return words;
  }

  return {
    get registry() {
      return registry();
    },
    sessions,

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
      const results: ClassificationResult[] = [];
      for (let start = 0; start < images.length; start += chunkSize) {
        const chunk = images.slice(start, start + chunkSize);
        const input = new Float32Array(chunk.length * inputLength(spec));
        await Promise.all(chunk.map((image, i) => prepareInput(image, spec, input, i)));
        const [logits] = await run(spec, input, chunk.length, signal);
        const classes = logits!.dims[1]!;
        chunk.forEach((image, i) => {
          results.push(classificationResult(logits!.data.subarray(i * classes, (i + 1) * classes), spec.classes, multiLabel, image.width, image.height));
        });
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
