/**
 * What a VideoPipeline frame costs the main thread outside session.run, in CPU time (robust to
 * the machine's load, unlike the frames/s of `npm run bench -- video`, which it explains):
 * a one-step detection workflow (yolov8n-640) on vtest.avi, with its models (prepare-ahead).
 *
 *   node --import tsx bench/video-main-thread.ts [frames, default 120]
 *
 * onnxruntime-node runs a model synchronously, on the main thread, inside its native
 * InferenceSession.run; this script times that call by subclassing the binding's class (an
 * internal of onnxruntime-node: revisit on upgrading it). Printed, per frame measured (after 10):
 * main_cpu_outside_run_ms (the main thread's CPU time less that spent inside runs), gc_pause_ms
 * and gcs (V8's own pauses, wall time), the gaps between one run's end and the next one's start
 * (p10/p50/p90, wall), fps, and a digest of the detections (ids left out) to compare results
 * across changes.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels, defaultModelsDir } from "@cvflow/vision";
import { VideoPipeline } from "@cvflow/video";

const VTEST = fileURLToPath(new URL("../../shared/videos/vtest.avi", import.meta.url));
const FRAMES = Number(process.argv[2] ?? 120);
const WARMUP = 10;

let measuring = false;
let runCpuMs = 0;
let lastRunEnd = 0;
const gaps: number[] = [];
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

const { binding } = createRequire(import.meta.resolve("onnxruntime-node"))("./binding.js") as { binding: { InferenceSession: new () => { run(...args: unknown[]): unknown } } };
binding.InferenceSession = class extends binding.InferenceSession {
  override run(...args: unknown[]): unknown {
    const cpu0 = process.threadCpuUsage();
    const t0 = performance.now();
    if (measuring && lastRunEnd) gaps.push(t0 - lastRunEnd);
    try {
      return super.run(...args);
    } finally {
      lastRunEnd = performance.now();
      if (measuring) runCpuMs += cpuMs(process.threadCpuUsage(cpu0));
    }
  }
};

let gcMs = 0;
let gcs = 0;
new PerformanceObserver((list) => {
  if (!measuring) return;
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcs++;
  }
}).observe({ entryTypes: ["gc"] });

const models = createVisionModels({ modelsDir: defaultModelsDir() });
const workflow = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};
const digest = createHash("sha256");
let seen = 0;
let cpu0 = process.threadCpuUsage();
let t0 = 0;
let result: Record<string, unknown> = {};
const pipeline = VideoPipeline.initWithWorkflow({
  videoReference: VTEST,
  workflow,
  engine: createWorkflowEngine({ models }),
  models,
  serializeResults: true,
  onPrediction: (output) => {
    if (++seen > WARMUP + FRAMES) return;
    digest.update(JSON.stringify((output["predictions"] as { predictions: unknown }).predictions, (key, value) => (key === "detection_id" ? undefined : value)));
    if (seen === WARMUP) {
      measuring = true;
      cpu0 = process.threadCpuUsage();
      t0 = performance.now();
    } else if (seen === WARMUP + FRAMES) {
      measuring = false;
      const wall = performance.now() - t0;
      const quantile = (q: number) => Math.round(gaps.sort((a, b) => a - b)[Math.floor(q * (gaps.length - 1))]! * 10) / 10;
      result = {
        frames: FRAMES,
        main_cpu_outside_run_ms: +((cpuMs(process.threadCpuUsage(cpu0)) - runCpuMs) / FRAMES).toFixed(2),
        gc_pause_ms: +(gcMs / FRAMES).toFixed(2),
        gcs,
        gap_ms_p10_p50_p90: [quantile(0.1), quantile(0.5), quantile(0.9)],
        fps: +((FRAMES * 1000) / wall).toFixed(2),
        digest: digest.digest("hex").slice(0, 16),
      };
      pipeline.terminate();
    }
  },
});
pipeline.start();
await pipeline.join();
console.log(JSON.stringify(result));
