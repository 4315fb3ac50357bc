/**
 * Video benchmarks on vtest.avi (../shared/videos, 768x576, 10 fps), each measured against its
 * baseline in the same run, on the same frames, in alternating rounds (ROUNDS rounds of
 * $CVFLOW_BENCH_FRAMES frames, default 50, each after WARMUP_FRAMES unmeasured ones), so that a
 * change in the machine's load hits both sides of a round alike; the value is the median over
 * the rounds, and every round's number is reported.
 *
 * - workflow_vs_model_fps_ratio: a one-step detection workflow (yolov8n-640) run by VideoPipeline
 *   (ffmpeg decoding, a WorkflowImage per frame, the detection block's letterbox, session.run,
 *   post-processing, serialized outputs to a sink), in frames/s from the sink's 5th frame to its
 *   (5+N)th, over the model-bound frames/s: session.run alone, one frame after another, on an
 *   InferenceSession of our own (same file, same options) given those frames already letterboxed.
 *   The pipeline is given its engine's models, so that it prepares each next frame ahead;
 *   workflow_pipeline_fps_without_prepare_ahead is the same pipeline given the engine alone.
 * - tracker_overhead_ms_per_frame: what byte_tracker@v3 + line_counter@v2 add to each frame on
 *   top of the detection: per frame, the run's wall time less its detection step's time (from
 *   the run's profiler trace), with the two steps and without; the difference of the medians over
 *   the same frames. Taking the detection step's own time out removes session.run's jitter (a
 *   few ms at ~80 ms a frame), which would otherwise swamp a difference of ~1 ms; what remains is
 *   every cost the two steps bring: their runs, the engine's scheduling of them, their outputs'
 *   serialization. These runs go through engine.run directly (the frames as WorkflowImages with
 *   their video metadata, one video state per workflow), not through the pipeline.
 */
import { fileURLToPath } from "node:url";
import { InferenceSession, Tensor } from "onnxruntime-node";
import sharp from "sharp";
import { createWorkflowEngine } from "@cvflow/blocks";
import { MemoryVideoState, type WorkflowEngine } from "@cvflow/engine";
import { createVisionModels, defaultModelsDir, inputImageId, WorkflowImage, type LocalVisionModels, type RawPixels } from "@cvflow/vision";
import { VideoPipeline, VideoSource } from "@cvflow/video";
import { median, round, type BenchResult } from "./measure.js";

const VTEST = fileURLToPath(new URL("../../shared/videos/vtest.avi", import.meta.url));
const FRAMES = Number(process.env["CVFLOW_BENCH_FRAMES"] ?? 50);
const WARMUP_FRAMES = 5;
const ROUNDS = 5;
const DETECTOR = "yolov8n-640";
const FPS = 10;

const DETECTION_STEP = { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: DETECTOR };

const DETECTION_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [DETECTION_STEP],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

/** The detection, tracked, and counted across a horizontal line through the middle of the frame. */
const TRACKING_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    DETECTION_STEP,
    { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$steps.detection.predictions" },
    { type: "roboflow_core/line_counter@v2", name: "counter", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", line_segment: [[0, 288], [768, 288]] },
  ],
  outputs: [
    { type: "JsonField", name: "predictions", selector: "$steps.tracker.tracked_detections" },
    { type: "JsonField", name: "count_in", selector: "$steps.counter.count_in" },
    { type: "JsonField", name: "count_out", selector: "$steps.counter.count_out" },
  ],
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

async function firstFrames(count: number): Promise<RawPixels[]> {
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

async function pipelineFps(engine: WorkflowEngine, models: LocalVisionModels | undefined): Promise<{ fps: number; detections: number }> {
  let seen = 0;
  let detections = 0;
  let t0 = 0;
  let t1 = 0;
  const pipeline = VideoPipeline.initWithWorkflow({
    videoReference: VTEST,
    workflow: DETECTION_WORKFLOW,
    engine,
    ...(models ? { models } : {}),
    serializeResults: true,
    onPrediction: (result) => {
      seen++;
      if (seen > WARMUP_FRAMES) detections += (result["predictions"] as { predictions: unknown[] }).predictions.length;
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

/** The frames as the pipeline gives them to a workflow: images carrying their video metadata. */
function frameImages(frames: readonly RawPixels[]): WorkflowImage[] {
  const id = inputImageId("/inputs/image");
  const start = Date.UTC(2024, 0, 1);
  return frames.map(
    (pixels, i) =>
      new WorkflowImage(pixels, {
        parentId: id,
        parentOrigin: null,
        rootParentId: id,
        rootOrigin: null,
        videoMetadata: { video_identifier: "vtest", frame_number: i + 1, frame_timestamp: new Date(start + (i * 1000) / FPS).toISOString(), fps: FPS, measured_fps: FPS, comes_from_video_file: true },
      }),
  );
}

/** Per measured frame: the run's wall time less its detection step's time, in ms. */
async function besidesDetectionMs(engine: WorkflowEngine, workflow: unknown, images: readonly WorkflowImage[]): Promise<number[]> {
  const plan = engine.compile(workflow);
  const videoState = new MemoryVideoState();
  const samples: number[] = [];
  for (const [i, image] of images.entries()) {
    const t0 = performance.now();
    const { profilerTrace } = await engine.run(plan, { image }, { serialize: true, enableProfiling: true, services: { videoState } });
    const wall = performance.now() - t0;
    const detection = profilerTrace!.find((event) => event.name === "detection");
    if (!detection) throw new Error("the profiler trace has no event for the detection step");
    if (i >= WARMUP_FRAMES) samples.push(wall - detection.dur / 1000);
  }
  return samples;
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
  const images = frameImages(frames);

  // One unmeasured round first: sessions made, code compiled, caches warm on every path.
  await modelFps(session, tensors);
  await pipelineFps(engine, models);
  await besidesDetectionMs(engine, TRACKING_WORKFLOW, images);

  const rounds: { model: number; workflow: number; withoutAhead: number; detections: number; detectionOnly: number; tracked: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const model = await modelFps(session, tensors);
    const { fps: workflow, detections } = await pipelineFps(engine, models);
    const { fps: withoutAhead } = await pipelineFps(engine, undefined);
    const detectionOnly = median(await besidesDetectionMs(engine, DETECTION_WORKFLOW, images));
    const tracked = median(await besidesDetectionMs(engine, TRACKING_WORKFLOW, images));
    rounds.push({ model, workflow, withoutAhead, detections, detectionOnly, tracked });
  }
  const of = (pick: (r: (typeof rounds)[number]) => number, digits = 2) => rounds.map((r) => round(pick(r), digits));
  yield { metric: "model_bound_fps", value: round(median(rounds.map((r) => r.model)), 2), unit: "frames/s", target: null, per_round: of((r) => r.model), frames: FRAMES, size: "768x576", model: DETECTOR };
  yield { metric: "workflow_pipeline_fps", value: round(median(rounds.map((r) => r.workflow)), 2), unit: "frames/s", target: null, per_round: of((r) => r.workflow), detections_per_round: rounds.map((r) => r.detections) };
  yield {
    metric: "workflow_pipeline_fps_without_prepare_ahead",
    value: round(median(rounds.map((r) => r.withoutAhead)), 2),
    unit: "frames/s",
    target: null,
    per_round: of((r) => r.withoutAhead),
    ratio_to_model: round(median(rounds.map((r) => r.withoutAhead / r.model))),
  };
  yield {
    metric: "workflow_vs_model_fps_ratio",
    value: round(median(rounds.map((r) => r.workflow / r.model))),
    unit: "x",
    target: ">= 0.90",
    per_round: of((r) => r.workflow / r.model, 3),
  };
  yield {
    metric: "tracker_overhead_ms_per_frame",
    value: round(median(rounds.map((r) => r.tracked - r.detectionOnly))),
    unit: "ms",
    target: "<= 2",
    per_round: of((r) => r.tracked - r.detectionOnly, 3),
    besides_detection_ms: { detection_only: of((r) => r.detectionOnly, 3), with_tracker_and_counter: of((r) => r.tracked, 3) },
  };
}
