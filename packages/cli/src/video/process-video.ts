/**
 * A workflow run in-process on every frame of a video (Roboflow's `inference workflows
 * process-video`) with @cvflow/video's VideoPipeline: a row per processed frame
 * (frame-results.ts) and, when asked, an mp4 per image output. Resumable: after each frame the
 * checkpoint (`.cvflow-video-checkpoint.json`: the last frame written and what stateful blocks
 * keep — plain data, and the run's own values such as the detections or images a buffer holds,
 * encoded losslessly by the step-value codec that run checkpoints use) is replaced, so a rerun into
 * the same folder goes on after that frame with the trackers', counters' and buffers' state as it
 * was — the frames before are decoded, not run again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { decodeVideoState, encodeVideoState, frameOutputs, frameRow, FrameVideos, type EncodedVideoState } from "@cvflow/batch/output";
import { MemoryVideoState, type WorkflowEngine } from "@cvflow/engine";
import { invalidArgument } from "@cvflow/sdk";
import { probeVideo, VideoPipeline } from "@cvflow/video";
import { asCvflowError } from "../errors.js";
import { localEngine } from "../local-engine.js";
import { FrameResults, type FrameFileType } from "./frame-results.js";

export const CHECKPOINT_FILE = ".cvflow-video-checkpoint.json";
/** An mp4's rate when the video declares none. */
const DEFAULT_FPS = 25;

export interface ProcessVideoOptions {
  video: string;
  output: string;
  /** The definition, bare or wrapped as `{"specification": ...}`. */
  workflow: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  imageInput?: string;
  maxFps?: number;
  outputFileType?: FrameFileType;
  saveOutVideo?: boolean;
  /** Start again from the first frame, ignoring (and replacing) what an earlier run wrote. */
  forceReprocessing?: boolean;
  /** Default: the core blocks with the local ONNX models. */
  engine?: WorkflowEngine;
  /** `frame`: the frame number reached; `total`: the video's frame count (null when unknown); both from where this run started. */
  onProgress?: (progress: { frame: number; total: number | null; processed: number; elapsedSeconds: number }) => void;
}

export interface ProcessVideoResult {
  /** Frames this run processed (the workflow ran on them). */
  frames: number;
  /** The frame an earlier run had reached, which this one went on after; 0 for a fresh start. */
  resumedAfter: number;
  seconds: number;
  /** The rows' file, in the output folder. */
  results: string;
  /** The mp4 of each image output, in the output folder. */
  videos: Record<string, string>;
}

interface Checkpoint {
  video: string;
  max_fps: number | null;
  frame_number: number;
  /** MemoryVideoState's toJSON() through the step-value codec, its binary parts in base64. */
  video_state: EncodedVideoState;
}

export async function processVideo(options: ProcessVideoOptions): Promise<ProcessVideoResult> {
  const video = resolve(options.video);
  const output = resolve(options.output);
  const type = options.outputFileType ?? "csv";
  const engine = options.engine ?? localEngine();
  const plan = compile(engine, options.workflow);
  // Image outputs go to the mp4s; every other output is a column.
  const { images: imageOutputs, columns } = frameOutputs(plan);
  const probe = await probeVideo(video);
  mkdirSync(output, { recursive: true });

  const checkpointPath = join(output, CHECKPOINT_FILE);
  const checkpoint = options.forceReprocessing ? undefined : readCheckpoint(checkpointPath, video, options.maxFps);
  const resumedAfter = checkpoint?.frame_number ?? 0;
  const results = FrameResults.open(join(output, `workflow_results.${type}`), type, columns, checkpoint?.frame_number);
  const videoState = checkpoint ? await decodeVideoState(checkpoint.video_state) : new MemoryVideoState();

  const fps = Math.min(probe.fps ?? DEFAULT_FPS, options.maxFps ?? Infinity);
  // A resumed run cannot append to an mp4: its frames go to one of their own, named by where it starts.
  const suffix = resumedAfter > 0 ? `_from_frame_${resumedAfter + 1}` : "";
  const videos = new FrameVideos(output, options.saveOutVideo ? imageOutputs : [], fps, suffix);

  const started = performance.now();
  let processed = 0;
  const pipeline = VideoPipeline.initWithWorkflow({
    engine,
    videoReference: video,
    workflow: options.workflow,
    onPrediction: async (outputs, frame) => {
      await videos.write(outputs);
      results.append(await frameRow(outputs, columns, frame));
      writeCheckpoint(checkpointPath, { video, max_fps: options.maxFps ?? null, frame_number: frame.frameId, video_state: await encodeVideoState(videoState) });
      processed += 1;
      options.onProgress?.({
        frame: frame.frameId - resumedAfter,
        total: probe.frameCount === null ? null : probe.frameCount - resumedAfter,
        processed,
        elapsedSeconds: (performance.now() - started) / 1000,
      });
    },
    ...(options.maxFps === undefined ? {} : { maxFps: options.maxFps }),
    imageInputName: options.imageInput ?? "image",
    workflowsParameters: options.parameters ?? {},
    videoState,
    ...(resumedAfter > 0 ? { resumeAfterFrame: resumedAfter } : {}),
  });
  pipeline.start();
  try {
    await pipeline.join();
  } catch (error) {
    await videos.abort();
    throw asCvflowError(error);
  }
  await videos.close();
  return { frames: processed, resumedAfter, seconds: (performance.now() - started) / 1000, results: `workflow_results.${type}`, videos: videos.files };
}

function compile(engine: WorkflowEngine, definition: Record<string, unknown>) {
  try {
    return engine.compile(definition);
  } catch (error) {
    throw asCvflowError(error);
  }
}

/** The checkpoint of an earlier run on this video with these settings; another video's or another --max-fps's is refused. */
function readCheckpoint(path: string, video: string, maxFps: number | undefined): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  const checkpoint = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
  if (checkpoint.video !== video || checkpoint.max_fps !== (maxFps ?? null)) {
    throw invalidArgument(
      `The output folder holds the results of another run (${checkpoint.video}, --max-fps ${checkpoint.max_fps ?? "none"}): choose another folder, or start again with --force-reprocessing`,
    );
  }
  return checkpoint;
}

/** Replaced whole (written aside, then renamed): a crash leaves the old checkpoint or the new one, never half of one. */
function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${path}.tmp`, path);
}
