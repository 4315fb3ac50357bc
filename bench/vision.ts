/**
 * Vision benchmarks: the fully wired runtime (createWorkflowEngine + createVisionModels) against
 * plain pipelines written by hand in this file, measured in the same run on the same photos.
 *
 * - one_step_vs_plain_ratio: a one-step detection workflow (yolov8n-640, the image sent as
 *   {"type":"base64"}, outputs as the JSON a request gets) vs sharp decode + letterbox in one
 *   pipeline + session.run on an InferenceSession of our own (same file, same session options)
 *   + YOLOv8 decode, confidence filter, NMS + the same JSON. Plain and workflow run back to back
 *   (the order flipped every round), 20 rounds after 2 unmeasured ones ($CVFLOW_BENCH_ROUNDS);
 *   the value is the median over the photos of each photo's median ratio workflow / plain.
 * - detect_crop_classify_vs_plain_ratio: detect → dynamic crop → classify (mobilenetv2-imagenet)
 *   on photos with >= 5 detections vs decode + letterbox + detect + crops with sharp (extract,
 *   short side 256, centre 224) + ONE batched classification run over all crops + the JSON;
 *   measured as the first, with 30 rounds.
 * - plain_* and workflow_* _ms: the median over the photos of each photo's median time.
 * - cold_start_first_result_ms: `node --import tsx` (as `npm start` runs) of bench/vision-child.ts,
 *   from spawn to the detect → crop → classify result on its stdout; median of 5 spawns.
 * - peak_rss_mb: a child that ran a workflow on each demo model (yolov8n-640, yolov8n-seg,
 *   mobilenetv2-imagenet, ppocr-v4): its process.resourceUsage().maxRSS.
 * - box_visualization_ms: the bounding-box block drawing 20 boxes on a 1920x1080 photo (on a copy,
 *   its default), median of 50 runs, against image_copy_ms: copying those pixels, the least a
 *   drawing on a copy does.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InferenceSession, Tensor } from "onnxruntime-node";
import sharp from "sharp";
import { Detections, type BlockContext, type ElementBlock } from "@cvflow/engine";
import { coreBlocks, createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels, defaultModelsDir, inputLineage, WorkflowImage, type ModelSpec } from "@cvflow/vision";
import { median, round, timeMs, type BenchResult } from "./measure.js";

export const IMAGES_DIR = fileURLToPath(new URL("../../shared/images/", import.meta.url));
const CHILD = fileURLToPath(new URL("./vision-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));

const ONE_STEP_PHOTOS = ["bus.jpg", "zidane.jpg", "dog.jpg", "horses.jpg", "person.jpg"];
const CROP_PHOTOS = ["bus.jpg", "roboflow/crowd.jpg"];
const MIN_CROPS = 5;
const ROUNDS = Number(process.env["CVFLOW_BENCH_ROUNDS"] ?? 20);
/** Two photos only: more rounds each, so that one burst of load from elsewhere weighs less. */
const CROP_ROUNDS = Math.ceil(ROUNDS * 1.5);
const WARMUP_ROUNDS = 2;
const SPAWNS = 5;

const DETECTOR = "yolov8n-640";
const CLASSIFIER = "mobilenetv2-imagenet";
/** Roboflow's defaults, which the blocks apply too. */
const DETECTION_CONFIDENCE = 0.4;
const IOU_THRESHOLD = 0.3;
const MAX_DETECTIONS = 300;
const CLASSIFICATION_CONFIDENCE = 0.05;

export const ONE_STEP_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: DETECTOR }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

export const DETECT_CROP_CLASSIFY_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: DETECTOR },
    { type: "roboflow_core/dynamic_crop@v1", name: "crops", images: "$inputs.image", predictions: "$steps.detection.predictions" },
    {
      type: "roboflow_core/roboflow_classification_model@v2",
      name: "classification",
      images: "$steps.crops.crops",
      model_id: CLASSIFIER,
      confidence: CLASSIFICATION_CONFIDENCE,
    },
  ],
  outputs: [
    { type: "JsonField", name: "detections", selector: "$steps.detection.predictions" },
    { type: "JsonField", name: "classes", selector: "$steps.classification.predictions" },
  ],
};

export function photoBase64(name: string): string {
  return readFileSync(`${IMAGES_DIR}${name}`).toString("base64");
}

// ---------------------------------------------------------------------------------------------
// The plain pipelines: what one would write by hand with sharp and onnxruntime-node.

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  confidence: number;
  classId: number;
}

interface Letterboxed {
  input: Float32Array;
  scale: number;
  left: number;
  top: number;
}

/** Letterboxed RGB pixels (w × h placed at left, top of a size × size square of 114) as a /255 NCHW tensor. */
function letterboxTensor(pixels: Buffer, w: number, h: number, size: number, left: number, top: number): Float32Array {
  const plane = size * size;
  const input = new Float32Array(3 * plane).fill(114 / 255);
  for (let y = 0; y < h; y++) {
    let read = y * w * 3;
    let write = (top + y) * size + left;
    for (let x = 0; x < w; x++, read += 3, write++) {
      input[write] = pixels[read]! / 255;
      input[plane + write] = pixels[read + 1]! / 255;
      input[2 * plane + write] = pixels[read + 2]! / 255;
    }
  }
  return input;
}

/** RGB pixels → ((v / 255) − mean) / std, as three planes, in one pass. */
function normalizeInto(out: Float32Array, pixels: Buffer, mean: readonly number[], std: readonly number[]): void {
  const plane = out.length / 3;
  const g0 = 1 / 255 / std[0]!, g1 = 1 / 255 / std[1]!, g2 = 1 / 255 / std[2]!;
  const b0 = -mean[0]! / std[0]!, b1 = -mean[1]! / std[1]!, b2 = -mean[2]! / std[2]!;
  for (let p = 0, read = 0; p < plane; p++, read += 3) {
    out[p] = pixels[read]! * g0 + b0;
    out[plane + p] = pixels[read + 1]! * g1 + b1;
    out[2 * plane + p] = pixels[read + 2]! * g2 + b2;
  }
}

function letterboxSize(width: number, height: number, size: number): { w: number; h: number; left: number; top: number; scale: number } {
  const scale = Math.min(size / width, size / height);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  return { w, h, left: Math.floor((size - w) / 2), top: Math.floor((size - h) / 2), scale };
}

/** YOLOv8 head [1, 84, N] → boxes in image pixels, above the threshold, class-aware NMS. */
function decodeYolo(output: Float32Array, anchors: number, classes: number, lb: Letterboxed, width: number, height: number): Box[] {
  // Best class per anchor, scanning the score rows (contiguous) rather than the columns.
  const bestScore = new Float32Array(anchors);
  const bestClass = new Int32Array(anchors);
  for (let c = 0; c < classes; c++) {
    const row = (4 + c) * anchors;
    for (let i = 0; i < anchors; i++) {
      const score = output[row + i]!;
      if (score > bestScore[i]!) {
        bestScore[i] = score;
        bestClass[i] = c;
      }
    }
  }
  const candidates: Box[] = [];
  for (let i = 0; i < anchors; i++) {
    const best = bestScore[i]!;
    if (best < DETECTION_CONFIDENCE) continue;
    const cx = output[i]!, cy = output[anchors + i]!, w = output[2 * anchors + i]!, h = output[3 * anchors + i]!;
    const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
    candidates.push({
      x1: clip((cx - w / 2 - lb.left) / lb.scale, width),
      y1: clip((cy - h / 2 - lb.top) / lb.scale, height),
      x2: clip((cx + w / 2 - lb.left) / lb.scale, width),
      y2: clip((cy + h / 2 - lb.top) / lb.scale, height),
      confidence: best,
      classId: bestClass[i]!,
    });
  }
  candidates.sort((a, b) => b.confidence - a.confidence);
  const kept: Box[] = [];
  const dropped = new Uint8Array(candidates.length);
  for (let i = 0; i < candidates.length && kept.length < MAX_DETECTIONS; i++) {
    if (dropped[i]) continue;
    const a = candidates[i]!;
    kept.push(a);
    for (let j = i + 1; j < candidates.length; j++) {
      const b = candidates[j]!;
      if (dropped[j] || b.classId !== a.classId) continue;
      const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
      const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
      if (iw <= 0 || ih <= 0) continue;
      const inter = iw * ih;
      if (inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter) > IOU_THRESHOLD) dropped[j] = 1;
    }
  }
  return kept;
}

interface WireBox {
  width: number;
  height: number;
  x: number;
  y: number;
  confidence: number;
  class_id: number;
  class: string;
  detection_id: string;
  parent_id: string;
}

function wireDetections(boxes: readonly Box[], classes: readonly string[], width: number, height: number): { image: { width: number; height: number }; predictions: WireBox[] } {
  return {
    image: { width, height },
    predictions: boxes.map((b) => ({
      width: b.x2 - b.x1,
      height: b.y2 - b.y1,
      x: b.x1 + (b.x2 - b.x1) / 2,
      y: b.y1 + (b.y2 - b.y1) / 2,
      confidence: b.confidence,
      class_id: b.classId,
      class: classes[b.classId]!,
      detection_id: crypto.randomUUID(),
      parent_id: "image",
    })),
  };
}

/** Encoded image -> a size × size detector input: decoded and resized in one sharp pipeline, letterboxed. */
export async function letterboxed(bytes: Buffer, size: number): Promise<Letterboxed & { width: number; height: number }> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const { w, h, left, top, scale } = letterboxSize(width, height, size);
  const pixels = await sharp(bytes).resize(w, h, { fit: "fill", kernel: "linear" }).removeAlpha().raw().toBuffer();
  return { input: letterboxTensor(pixels, w, h, size, left, top), scale, left, top, width, height };
}

export class PlainPipelines {
  private constructor(
    private readonly detector: InferenceSession,
    private readonly classifier: InferenceSession,
    private readonly detectorSpec: ModelSpec,
    private readonly classifierSpec: ModelSpec,
  ) {}

  static async create(options: InferenceSession.SessionOptions, detectorSpec: ModelSpec, classifierSpec: ModelSpec, modelsDir: string): Promise<PlainPipelines> {
    const detector = await InferenceSession.create(`${modelsDir}/${detectorSpec.files["model"]}`, options);
    const classifier = await InferenceSession.create(`${modelsDir}/${classifierSpec.files["model"]}`, options);
    return new PlainPipelines(detector, classifier, detectorSpec, classifierSpec);
  }

  private async detect(input: Float32Array, lb: Letterboxed, width: number, height: number): Promise<Box[]> {
    const size = this.detectorSpec.input.width;
    const results = await this.detector.run({ [this.detector.inputNames[0]!]: new Tensor("float32", input, [1, 3, size, size]) });
    const output = results[this.detector.outputNames[0]!]!;
    const [, rows = 0, anchors = 0] = output.dims;
    return decodeYolo(output.data as Float32Array, anchors, rows - 4, lb, width, height);
  }

  /** Decode and letterbox in one sharp pipeline, detect, JSON. */
  async oneStep(base64: string): Promise<string> {
    const { width, height, ...lb } = await letterboxed(Buffer.from(base64, "base64"), this.detectorSpec.input.width);
    const boxes = await this.detect(lb.input, lb, width, height);
    return JSON.stringify([{ predictions: wireDetections(boxes, this.detectorSpec.classes, width, height) }]);
  }

  /** Decode once, letterbox from the pixels, detect, crop each box with sharp, ONE classification run, JSON. */
  async detectCropClassify(base64: string): Promise<{ json: string; crops: number }> {
    const bytes = Buffer.from(base64, "base64");
    const { data: image, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const raw = { raw: { width, height, channels: 3 as const } };
    const size = this.detectorSpec.input.width;
    const { w, h, left, top, scale } = letterboxSize(width, height, size);
    const pixels = await sharp(image, raw).resize(w, h, { fit: "fill", kernel: "linear" }).raw().toBuffer();
    const lb = { input: letterboxTensor(pixels, w, h, size, left, top), scale, left, top };
    const boxes = await this.detect(lb.input, lb, width, height);
    const detections = wireDetections(boxes, this.detectorSpec.classes, width, height);

    const side = this.classifierSpec.input.width;
    const short = this.classifierSpec.preprocessing.resizeShort ?? side;
    const mean = this.classifierSpec.preprocessing.mean ?? [0, 0, 0];
    const std = this.classifierSpec.preprocessing.std ?? [1, 1, 1];
    const plane = side * side;
    const batch = new Float32Array(boxes.length * 3 * plane);
    const cropSizes = await Promise.all(
      boxes.map(async (b, k) => {
        const x1 = Math.round(b.x1), y1 = Math.round(b.y1);
        const cw = Math.max(1, Math.round(b.x2) - x1), ch = Math.max(1, Math.round(b.y2) - y1);
        const ratio = short / Math.min(cw, ch);
        const rw = Math.max(side, Math.round(cw * ratio)), rh = Math.max(side, Math.round(ch * ratio));
        const crop = await sharp(image, raw)
          .extract({ left: x1, top: y1, width: cw, height: ch })
          .resize(rw, rh, { fit: "fill", kernel: "linear" })
          .extract({ left: Math.floor((rw - side) / 2), top: Math.floor((rh - side) / 2), width: side, height: side })
          .raw()
          .toBuffer();
        normalizeInto(batch.subarray(k * 3 * plane, (k + 1) * 3 * plane), crop, mean, std);
        return { width: cw, height: ch };
      }),
    );
    const started = performance.now();
    const results = await this.classifier.run({
      [this.classifier.inputNames[0]!]: new Tensor("float32", batch, [boxes.length, 3, side, side]),
    });
    const time = (performance.now() - started) / 1000;
    const logits = results[this.classifier.outputNames[0]!]!.data as Float32Array;
    const classes = this.classifierSpec.classes;
    const inferenceId = crypto.randomUUID();
    const classified = boxes.map((_, k) => {
      const row = logits.subarray(k * classes.length, (k + 1) * classes.length);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - max);
      const kept: { class: string; class_id: number; confidence: number }[] = [];
      row.forEach((v, id) => {
        const p = Math.exp(v - max) / sum;
        if (p >= CLASSIFICATION_CONFIDENCE) kept.push({ class: classes[id]!, class_id: id, confidence: Math.round(p * 1e4) / 1e4 });
      });
      kept.sort((a, b) => b.confidence - a.confidence);
      return {
        inference_id: inferenceId,
        time,
        image: cropSizes[k]!,
        predictions: kept,
        top: kept[0]?.class ?? "",
        confidence: kept[0]?.confidence ?? 0,
        prediction_type: "classification",
        parent_id: detections.predictions[k]!.detection_id,
        root_parent_id: "image",
      };
    });
    return { json: JSON.stringify([{ detections, classes: classified }]), crops: boxes.length };
  }
}

// ---------------------------------------------------------------------------------------------

interface Paired {
  plain: number[];
  workflow: number[];
}

/** Alternates plain and workflow (order flipped every round) so that drift and noise hit both. */
async function paired(
  photos: readonly string[],
  rounds: number,
  plain: (b64: string) => Promise<unknown>,
  workflow: (b64: string) => Promise<unknown>,
): Promise<Map<string, Paired>> {
  const samples = new Map(photos.map((p) => [p, { plain: [] as number[], workflow: [] as number[] }]));
  const inputs = new Map(photos.map((p) => [p, photoBase64(p)]));
  for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
    for (const photo of photos) {
      const b64 = inputs.get(photo)!;
      const order = round % 2 === 0 ? (["plain", "workflow"] as const) : (["workflow", "plain"] as const);
      for (const which of order) {
        const t0 = performance.now();
        await (which === "plain" ? plain(b64) : workflow(b64));
        const ms = performance.now() - t0;
        if (round >= WARMUP_ROUNDS) samples.get(photo)![which].push(ms);
      }
    }
  }
  return samples;
}

/**
 * Per photo, the median of the per-round ratios workflow / plain (each pair measured back to
 * back, so a burst of load from elsewhere on the machine hits both sides of one ratio); then
 * the median over the photos. The ratio of the medians is given too, as a cross-check.
 */
function summarize(samples: Map<string, Paired>): { ratio: number; ratioOfMedians: number; plainMs: number; workflowMs: number; perPhoto: Record<string, number> } {
  const perPhoto: Record<string, number> = {};
  const ratios: number[] = [];
  const ofMedians: number[] = [];
  const plains: number[] = [];
  const workflows: number[] = [];
  for (const [photo, { plain, workflow }] of samples) {
    const ratio = median(workflow.map((w, i) => w / plain[i]!));
    perPhoto[photo] = round(ratio);
    ratios.push(ratio);
    ofMedians.push(median(workflow) / median(plain));
    plains.push(median(plain));
    workflows.push(median(workflow));
  }
  return { ratio: median(ratios), ratioOfMedians: median(ofMedians), plainMs: median(plains), workflowMs: median(workflows), perPhoto };
}

/**
 * Runs bench/vision-child.ts with `args`: the time from spawn to its first stdout line, and that
 * line. Resolves once the child has exited too, so that the next one starts on an idle machine.
 */
async function spawnChild(args: string[]): Promise<{ ms: number; line: string }> {
  let exited!: Promise<void>;
  const first = await new Promise<{ ms: number; line: string }>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let done = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const newline = out.indexOf("\n");
      if (!done && newline >= 0) {
        done = true;
        resolve({ ms: performance.now() - t0, line: out.slice(0, newline) });
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    child.on("error", reject);
    exited = new Promise((onExit) =>
      child.on("exit", (code) => {
        if (!done) reject(new Error(`bench child ${args.join(" ")} exited with ${code}: ${err.slice(0, 2000)}`));
        onExit();
      }),
    );
  });
  await exited;
  return first;
}

/** Drawing 20 boxes on a 1920x1080 photo with the bounding-box block, and copying its pixels. */
async function drawingTimes(): Promise<{ drawMs: number; copyMs: number }> {
  const { data } = await sharp(`${IMAGES_DIR}bus.jpg`).resize(1920, 1080, { fit: "fill" }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const image = new WorkflowImage({ data: pixels, width: 1920, height: 1080, channels: 3 }, inputLineage("bench"));
  const predictions = new Detections({
    image: { width: 1920, height: 1080 },
    xyxy: Array.from({ length: 20 }, (_, i) => [40 + 90 * i, 50 + 20 * i, 200 + 85 * i, 600 + 20 * i]).flat(),
    confidence: Array.from({ length: 20 }, () => 0.8),
    classId: Array.from({ length: 20 }, (_, i) => i % 5),
    className: Array.from({ length: 20 }, (_, i) => `class ${i % 5}`),
  });
  const block = coreBlocks.find((b) => b.manifest.type === "roboflow_core/bounding_box_visualization@v1") as ElementBlock;
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([name, spec]) => [name, spec.default]));
  const context: BlockContext = { signal: new AbortController().signal, step: "draw", index: [0], services: {} };
  const drawMs = await timeMs(() => block.run({ ...defaults, image, predictions }, context), 50);
  const copyMs = await timeMs(() => pixels.slice(), 50);
  return { drawMs, copyMs };
}

export async function* visionBench(): AsyncIterable<BenchResult> {
  const modelsDir = defaultModelsDir();
  const models = createVisionModels({ modelsDir });
  const engine = createWorkflowEngine({ models });
  const plain = await PlainPipelines.create(models.sessions.sessionOptions, models.spec(DETECTOR), models.spec(CLASSIFIER), modelsDir);
  const runWorkflow = (definition: object) => {
    const text = JSON.stringify(definition);
    return async (b64: string) => {
      // A request brings its definition as JSON (a new object each time) and gets its outputs as JSON.
      const { outputs } = await engine.run(JSON.parse(text), { image: { type: "base64", value: b64 } });
      return JSON.stringify(outputs);
    };
  };
  const count = (json: string, key: string) => (JSON.parse(json) as Record<string, { predictions: unknown[] }>[])[0]![key]!.predictions.length;
  const detections: Record<string, [number, number]> = {};
  for (const photo of ONE_STEP_PHOTOS) {
    const b64 = photoBase64(photo);
    detections[photo] = [count(await plain.oneStep(b64), "predictions"), count(await runWorkflow(ONE_STEP_WORKFLOW)(b64), "predictions")];
  }

  const one = summarize(await paired(ONE_STEP_PHOTOS, ROUNDS, (b64) => plain.oneStep(b64), runWorkflow(ONE_STEP_WORKFLOW)));
  yield { metric: "plain_one_step_ms", value: round(one.plainMs, 2), unit: "ms", target: null, photos: ONE_STEP_PHOTOS.length, rounds: ROUNDS };
  yield { metric: "workflow_one_step_ms", value: round(one.workflowMs, 2), unit: "ms", target: null };
  yield { metric: "one_step_vs_plain_ratio", value: round(one.ratio), unit: "x", target: "<= 1.05", per_photo: one.perPhoto, ratio_of_medians: round(one.ratioOfMedians), detections_plain_workflow: detections };

  const crops: Record<string, number> = {};
  for (const photo of CROP_PHOTOS) {
    const [{ crops: n }, workflowJson] = [await plain.detectCropClassify(photoBase64(photo)), await runWorkflow(DETECT_CROP_CLASSIFY_WORKFLOW)(photoBase64(photo))];
    const m = (JSON.parse(workflowJson) as { classes: unknown[] }[])[0]!.classes.length;
    if (n < MIN_CROPS || m !== n) throw new Error(`${photo}: ${n} plain and ${m} workflow detections; the benchmark needs the same number, >= ${MIN_CROPS}`);
    crops[photo] = n;
  }
  const dcc = summarize(await paired(CROP_PHOTOS, CROP_ROUNDS, (b64) => plain.detectCropClassify(b64), runWorkflow(DETECT_CROP_CLASSIFY_WORKFLOW)));
  yield { metric: "plain_detect_crop_classify_ms", value: round(dcc.plainMs, 2), unit: "ms", target: null, crops, rounds: CROP_ROUNDS };
  yield { metric: "workflow_detect_crop_classify_ms", value: round(dcc.workflowMs, 2), unit: "ms", target: null };
  yield { metric: "detect_crop_classify_vs_plain_ratio", value: round(dcc.ratio), unit: "x", target: "<= 1.10", per_photo: dcc.perPhoto, ratio_of_medians: round(dcc.ratioOfMedians) };

  const drawing = await drawingTimes();
  yield { metric: "image_copy_ms", value: round(drawing.copyMs, 2), unit: "ms", target: null };
  yield { metric: "box_visualization_ms", value: round(drawing.drawMs, 2), unit: "ms", target: "<= 50", boxes: 20, size: "1920x1080" };

  // The children run alone: nothing runs in this process meanwhile.
  const cold: number[] = [];
  for (let i = 0; i < SPAWNS; i++) cold.push((await spawnChild(["cold", "bus.jpg"])).ms);
  yield { metric: "cold_start_first_result_ms", value: round(median(cold), 1), unit: "ms", target: "<= 1500", spawns: cold.map((ms) => round(ms, 0)) };

  const { line } = await spawnChild(["rss"]);
  const rss = JSON.parse(line) as { maxRssMb: number };
  yield { metric: "peak_rss_mb", value: round(rss.maxRssMb, 1), unit: "MB", target: "<= 700", ...rss };
}
