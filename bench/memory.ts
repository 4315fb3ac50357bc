/**
 * Memory benchmark: what one request costs the server, and whether its memory comes back.
 *
 * - peak_rss_mb_worst_case: the local stack as its own process (as `npm start` runs it, with its
 *   allocator), then the worst requests accepted at the default limits, on a 6300x6300 JPEG (39.7
 *   megapixels, under the 40 MP limit, sent as base64 in a request under 6 MB), every image an
 *   output (so none can be dropped early and all are encoded; the response goes over 6 MB, so its
 *   images go to S3), each run 3 times; the server's VmHWM after both. Drawings: a detection and 4
 *   chained box visualizations each drawing on a copy (39.7 x (1 + 4) = 198.5 of the run budget's
 *   200 megapixels); its own peak is peak_rss_mb_drawings. Crops: 158 crops of 1000x1000 from
 *   boxes given as a parameter, each classified (39.7 + 158 = 197.7 megapixels): the heavier of
 *   the two (measured: 1,324 MB against the drawings' 1,064).
 * - idle_rss_baseline_mb: the server's RSS once it has answered a one-step detection on a small
 *   photo (models loaded) and sat idle for 5 s; idle_rss_after_mb: its RSS 60 s after the heavy
 *   requests; idle_rss_after_ratio: the one over the other (target <= 1.5).
 * - large_photo_one_step_ratio: a one-step detection workflow (yolov8n-640) on a 12-megapixel JPEG
 *   (bus.jpg scaled to 4000x3000) against the plain pipeline of bench/vision.ts, whose sharp resize
 *   shrinks the JPEG on load; in this process, paired and interleaved as the vision bench does.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { createWorkflowEngine } from "@cvflow/blocks";
import { spawnLocalStack } from "@cvflow/local";
import { createVisionModels, defaultModelsDir } from "@cvflow/vision";
import { LARGE_RESPONSE_HEADER } from "@cvflow/wire";
import { median, round, type BenchResult } from "./measure.js";
import { IMAGES_DIR, ONE_STEP_WORKFLOW, PlainPipelines } from "./vision.js";

const DETECTOR = "yolov8n-640";
const WORST_SIDE = 6300;
const WORST_VISUALIZATIONS = 4;
const WORST_CROPS = 158;
const WORST_CROP_SIDE = 1000;
const CLASSIFIER = "mobilenetv2-imagenet";
const WORST_RUNS = 3;
const IDLE_WAIT_MS = 60_000;
const LARGE_PHOTO = { width: 4000, height: 3000 };
const ROUNDS = Number(process.env["CVFLOW_BENCH_ROUNDS"] ?? 20);
const WARMUP_ROUNDS = 2;

/** A detection, then `n` box visualizations each drawing on a copy of the one before; every image an output. */
function worstCaseWorkflow(n: number): object {
  const drawings = Array.from({ length: n }, (_, i) => ({
    type: "roboflow_core/bounding_box_visualization@v1",
    name: `boxes${i}`,
    image: i === 0 ? "$inputs.image" : `$steps.boxes${i - 1}.image`,
    predictions: "$steps.detection.predictions",
    thickness: 8,
  }));
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }],
    steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: DETECTOR }, ...drawings],
    outputs: [
      { type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" },
      ...drawings.map((d) => ({ type: "JsonField", name: d.name, selector: `$steps.${d.name}.image` })),
    ],
  };
}

/** `n` crops of side x side from boxes given as a parameter (spread over the image, overlapping), each classified; every crop an output. */
function cropsWorkflow(): object {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowParameter", name: "boxes", kind: ["object_detection_prediction"] }],
    steps: [
      { type: "roboflow_core/dynamic_crop@v1", name: "crop", images: "$inputs.image", predictions: "$inputs.boxes" },
      { type: "roboflow_core/roboflow_classification_model@v2", name: "classification", images: "$steps.crop.crops", model_id: CLASSIFIER },
    ],
    outputs: [
      { type: "JsonField", name: "crops", selector: "$steps.crop.crops" },
      { type: "JsonField", name: "classes", selector: "$steps.classification.predictions" },
    ],
  };
}

function cropBoxes(n: number, side: number, imageSide: number): object {
  const span = imageSide - side;
  const predictions = Array.from({ length: n }, (_, i) => ({
    x: side / 2 + ((i * 37) % span), y: side / 2 + ((i * 53) % span), width: side, height: side,
    confidence: 0.9, class: "box", class_id: 0, detection_id: `box${i}`,
  }));
  return { image: { width: imageSide, height: imageSide }, predictions };
}

/** What is missing for this benchmark, or undefined. */
function missing(): string | undefined {
  if (!existsSync(join(IMAGES_DIR, "bus.jpg"))) return `the shared photos (${join(IMAGES_DIR, "bus.jpg")}): they come with ../shared beside the repository`;
  const models = defaultModelsDir();
  if (!existsSync(join(models, "registry.json"))) return `the models (${join(models, "registry.json")}): run npm run models`;
  return undefined;
}

function status(pid: number): { rssMb: number; hwmMb: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)![1]);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function* serverMemory(): AsyncIterable<BenchResult> {
  const bus = readFileSync(join(IMAGES_DIR, "bus.jpg"));
  const large = await sharp(bus).resize(WORST_SIDE, WORST_SIDE, { fit: "fill" }).jpeg({ quality: 75 }).toBuffer();
  const stack = await spawnLocalStack({ port: 0, env: { CVFLOW_S3_PORT: "0" } });
  try {
    // Their responses pass 6 MB: their images are offloaded to S3, as before the choice was the request's.
    const headers = { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json", [LARGE_RESPONSE_HEADER]: "offload" };
    const run = async (specification: object, image: Buffer, parameters: object = {}): Promise<number> => {
      const response = await fetch(`${stack.url}/workflows/run`, {
        method: "POST",
        headers,
        body: JSON.stringify({ specification, inputs: { image: { type: "base64", value: image.toString("base64") }, ...parameters } }),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
      return text.length;
    };
    for (let i = 0; i < 3; i++) await run(ONE_STEP_WORKFLOW, bus);
    await sleep(5000);
    const baseline = status(stack.pid).rssMb;
    const timed = async (specification: object, parameters?: object): Promise<number[]> => {
      const durations: number[] = [];
      for (let i = 0; i < WORST_RUNS; i++) {
        const t0 = performance.now();
        await run(specification, large, parameters);
        durations.push(performance.now() - t0);
      }
      return durations;
    };
    const drawingMs = await timed(worstCaseWorkflow(WORST_VISUALIZATIONS));
    const drawingPeak = status(stack.pid).hwmMb;
    const cropMs = await timed(cropsWorkflow(), { boxes: cropBoxes(WORST_CROPS, WORST_CROP_SIDE, WORST_SIDE) });
    const peak = status(stack.pid).hwmMb;
    await sleep(IDLE_WAIT_MS);
    const after = status(stack.pid).rssMb;
    const megapixels = round((WORST_SIDE * WORST_SIDE) / 1e6, 1);
    yield {
      metric: "peak_rss_mb_worst_case",
      value: round(peak, 0),
      unit: "MB",
      target: "<= 1500",
      image: `${WORST_SIDE}x${WORST_SIDE} JPEG, ${megapixels} MP, ${large.length} bytes`,
      runs: WORST_RUNS,
      allocator: stack.allocator,
    };
    yield {
      metric: "peak_rss_mb_drawings",
      value: round(drawingPeak, 0),
      unit: "MB",
      target: null,
      image_steps: WORST_VISUALIZATIONS,
      run_megapixels: round(megapixels * (1 + WORST_VISUALIZATIONS), 1),
      run_ms: drawingMs.map((ms) => round(ms, 0)),
    };
    yield {
      metric: "worst_case_crops_ms",
      value: round(median(cropMs), 0),
      unit: "ms",
      target: null,
      crops: `${WORST_CROPS} x ${WORST_CROP_SIDE}x${WORST_CROP_SIDE}, each classified`,
      run_megapixels: round(megapixels + (WORST_CROPS * WORST_CROP_SIDE ** 2) / 1e6, 1),
      run_ms: cropMs.map((ms) => round(ms, 0)),
    };
    yield { metric: "idle_rss_baseline_mb", value: round(baseline, 0), unit: "MB", target: null };
    yield { metric: "idle_rss_after_mb", value: round(after, 0), unit: "MB", target: `<= ${round(1.5 * baseline, 0)} (1.5 x baseline)`, after_s: IDLE_WAIT_MS / 1000 };
    yield { metric: "idle_rss_after_ratio", value: round(after / baseline, 2), unit: "x", target: "<= 1.5" };
  } finally {
    await stack.stop();
  }
}

async function* largePhoto(): AsyncIterable<BenchResult> {
  const modelsDir = defaultModelsDir();
  const models = createVisionModels({ modelsDir });
  const engine = createWorkflowEngine({ models });
  const plain = await PlainPipelines.create(models.sessions.sessionOptions, models.spec(DETECTOR), models.spec("mobilenetv2-imagenet"), modelsDir);
  const photo = await sharp(join(IMAGES_DIR, "bus.jpg")).resize(LARGE_PHOTO.width, LARGE_PHOTO.height, { fit: "fill" }).jpeg({ quality: 90 }).toBuffer();
  const b64 = photo.toString("base64");
  const text = JSON.stringify(ONE_STEP_WORKFLOW);
  const workflow = async (): Promise<string> => JSON.stringify((await engine.run(JSON.parse(text), { image: { type: "base64", value: b64 } })).outputs);
  const count = (json: string) => (JSON.parse(json) as { predictions: { predictions: unknown[] } }[])[0]!.predictions.predictions.length;
  const detections = [count(await plain.oneStep(b64)), count(await workflow())];
  const times = { plain: [] as number[], workflow: [] as number[] };
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    for (const which of r % 2 === 0 ? (["plain", "workflow"] as const) : (["workflow", "plain"] as const)) {
      const t0 = performance.now();
      await (which === "plain" ? plain.oneStep(b64) : workflow());
      if (r >= WARMUP_ROUNDS) times[which].push(performance.now() - t0);
    }
  }
  const ratios = times.workflow.map((w, i) => w / times.plain[i]!);
  yield { metric: "large_photo_plain_ms", value: round(median(times.plain), 1), unit: "ms", target: null, photo: `${LARGE_PHOTO.width}x${LARGE_PHOTO.height} JPEG, ${photo.length} bytes`, rounds: ROUNDS };
  yield { metric: "large_photo_workflow_ms", value: round(median(times.workflow), 1), unit: "ms", target: null };
  yield {
    metric: "large_photo_one_step_ratio",
    value: round(median(ratios)),
    unit: "x",
    target: "<= 1.10",
    ratio_of_medians: round(median(times.workflow) / median(times.plain)),
    detections_plain_workflow: detections,
  };
}

export async function* memoryBench(): AsyncIterable<BenchResult> {
  const absent = missing();
  if (absent) {
    console.error(`bench memory: skipped, it needs ${absent}`);
    return;
  }
  yield* serverMemory();
  yield* largePhoto();
}
