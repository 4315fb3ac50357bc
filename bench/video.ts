/**
 * Video benchmarks, on the first N frames of ../shared/videos/vtest.avi (768x576, 10 fps;
 * N = $CVFLOW_BENCH_FRAMES, default 100), measured in the same run on the same frames:
 *
 * - workflow_vs_model_fps_ratio: a one-step detection workflow (yolov8n-640) run by VideoPipeline
 *   (ffmpeg decoding, a WorkflowImage per frame, the detection block's letterbox, session.run,
 *   post-processing, outputs to a sink), in frames/s from the sink's 5th frame to its (5+N)th,
 *   over the model-bound frames/s: session.run alone, one frame after another, on an
 *   InferenceSession of our own (same file, same options) given those frames already letterboxed.
 *   Two rounds (model, pipeline, model, pipeline); the value is the mean of the rounds' ratios.
 *
 * tracker_overhead_ms_per_frame (tracking + line counter on top of detection) is to come with
 * those blocks.
 */
import { fileURLToPath } from "node:url";
import { InferenceSession, Tensor } from "onnxruntime-node";
import sharp from "sharp";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels, defaultModelsDir } from "@cvflow/vision";
import { VideoPipeline, VideoSource } from "@cvflow/video";
import { round, type BenchResult } from "./measure.js";

const VTEST = fileURLToPath(new URL("../../shared/videos/vtest.avi", import.meta.url));
const FRAMES = Number(process.env["CVFLOW_BENCH_FRAMES"] ?? 100);
const WARMUP_FRAMES = 5;
const ROUNDS = 2;
const DETECTOR = "yolov8n-640";

const WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: DETECTOR }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

/** rgb24 frame -> the model's input: resized (linear) into a size x size square of 114, /255, NCHW. */
async function letterboxed(rgb: Uint8Array, width: number, height: number, size: number): Promise<Tensor> {
  const scale = Math.min(size / width, size / height);
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const left = Math.floor((size - w) / 2);
  const top = Math.floor((size - h) / 2);
  const pixels = await sharp(rgb, { raw: { width, height, channels: 3 } }).resize(w, h, { fit: "fill", kernel: "linear" }).raw().toBuffer();
  const plane = size * size;
  const input = new Float32Array(3 * plane).fill(114 / 255);
  for (let y = 0; y < h; y++) {
    for (let x = 0, read = y * w * 3, write = (top + y) * size + left; x < w; x++, read += 3, write++) {
      input[write] = pixels[read]! / 255;
      input[plane + write] = pixels[read + 1]! / 255;
      input[2 * plane + write] = pixels[read + 2]! / 255;
    }
  }
  return new Tensor("float32", input, [1, 3, size, size]);
}

async function firstFrames(count: number): Promise<{ data: Uint8Array; width: number; height: number }[]> {
  const source = await VideoSource.open(VTEST);
  const frames = [];
  for (let frame = await source.next(); frame && frames.length < count; frame = await source.next()) frames.push(frame.image);
  await source.close();
  return frames;
}

async function modelFps(session: InferenceSession, tensors: readonly Tensor[]): Promise<number> {
  const input = session.inputNames[0]!;
  for (const tensor of tensors.slice(0, WARMUP_FRAMES)) await session.run({ [input]: tensor });
  const t0 = performance.now();
  for (const tensor of tensors.slice(WARMUP_FRAMES)) await session.run({ [input]: tensor });
  return ((tensors.length - WARMUP_FRAMES) * 1000) / (performance.now() - t0);
}

async function pipelineFps(engine: ReturnType<typeof createWorkflowEngine>): Promise<{ fps: number; detections: number }> {
  let seen = 0;
  let detections = 0;
  let t0 = 0;
  let t1 = 0;
  const pipeline = VideoPipeline.initWithWorkflow({
    videoReference: VTEST,
    workflow: WORKFLOW,
    engine,
    serializeResults: true,
    onPrediction: (result) => {
      seen++;
      detections += (result["predictions"] as { predictions: unknown[] }).predictions.length;
      if (seen === WARMUP_FRAMES) t0 = performance.now();
      if (seen === WARMUP_FRAMES + FRAMES) {
        t1 = performance.now();
        pipeline.terminate();
      }
    },
  });
  pipeline.start();
  await pipeline.join();
  return { fps: (FRAMES * 1000) / (t1 - t0), detections };
}

export async function* videoBench(): AsyncIterable<BenchResult> {
  const modelsDir = defaultModelsDir();
  const models = createVisionModels({ modelsDir });
  const engine = createWorkflowEngine({ models });
  const spec = models.spec(DETECTOR);
  const session = await InferenceSession.create(`${modelsDir}/${spec.files["model"]}`, models.sessions.sessionOptions);
  const frames = await firstFrames(FRAMES + WARMUP_FRAMES);
  const tensors = [];
  for (const frame of frames) tensors.push(await letterboxed(frame.data, frame.width, frame.height, spec.input.width));

  const rounds: { model: number; workflow: number; detections: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const model = await modelFps(session, tensors);
    const { fps: workflow, detections } = await pipelineFps(engine);
    rounds.push({ model, workflow, detections });
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  yield { metric: "model_bound_fps", value: round(mean(rounds.map((r) => r.model)), 2), unit: "frames/s", target: null, frames: FRAMES, size: "768x576", model: DETECTOR };
  yield { metric: "workflow_pipeline_fps", value: round(mean(rounds.map((r) => r.workflow)), 2), unit: "frames/s", target: null, detections_per_round: rounds.map((r) => r.detections) };
  yield {
    metric: "workflow_vs_model_fps_ratio",
    value: round(mean(rounds.map((r) => r.workflow / r.model))),
    unit: "x",
    target: ">= 0.90",
    per_round: rounds.map((r) => round(r.workflow / r.model)),
  };
}
