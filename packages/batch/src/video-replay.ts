/**
 * A video job's replay, in Finalize (docs/batch.md, "Video jobs"): the whole video decoded once
 * and the whole workflow run on every taken frame, in order, with one video state — trackers,
 * counters and zones see one continuous video, with no segment boundary — while the replayable
 * steps (the models and what depends on them alone) come back from the segments' caches instead
 * of running again. Rows and the mp4 of each image output are written as `cvflow process-video`
 * writes them (@cvflow/batch/output), into a temporary folder the caller uploads.
 */
import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { MemoryVideoState, replayableSteps, type CompiledWorkflow, type WorkflowEngine } from "@cvflow/engine";
import type { BatchVideoInput } from "@cvflow/wire";
import type { BatchJob } from "./job.js";
import { aggregatedFile, batchKeys } from "./layout.js";
import type { ManifestItem } from "./manifest.js";
import { frameOutputs, frameRow, frameRowLine, frameRowsHeader, FrameVideos } from "./output/index.js";
import { frameInputs, openFrames } from "./video-frames.js";
import { namingSource, openVideo } from "./video-job.js";
import { frameDigest, SegmentCache } from "./video-step-cache.js";

/** Where an earlier invocation's replay stopped: the last frame it ran, and the video state after it. */
export interface ReplayFrom {
  lastFrame: number;
  videoState: MemoryVideoState;
}

export interface ReplayOptions {
  from?: ReplayFrom | undefined;
  /** Names this invocation's files apart from an earlier one's ("" for the first). */
  suffix: string;
  /** Asked after each frame: stop there (the rest is for the next invocation). */
  stop: (framesRun: number) => boolean;
}

export interface ReplayResult {
  /** The video's last frame was run. */
  ended: boolean;
  /** The last frame run (an earlier invocation's when this one ran none). */
  lastFrame: number;
  videoState: MemoryVideoState;
  /** Frames this invocation ran. */
  frames: number;
  seconds: number;
  /** This invocation's rows (with the header when it started the replay) and its part of each image output's mp4, in the folder. */
  rows: string;
  videos: Record<string, string>;
  /** Runs of the cached steps that were restored, and those that ran all the same (0 when every cache was whole). */
  restoredSteps: number;
  cachedStepsRun: number;
  /** Frames whose pixels were not those their segment decoded, run whole (samePixels). */
  framesRerun: number;
}

export async function replayVideo(
  deps: { client: S3Client; engine: WorkflowEngine; bucket: string },
  id: string,
  job: BatchJob,
  plan: CompiledWorkflow,
  segments: readonly ManifestItem[],
  folder: string,
  signal: AbortSignal,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const input = job.input as BatchVideoInput;
  const replayable = replayableSteps(plan);
  const { images, columns } = frameOutputs(plan);
  const format = job.aggregation_format;
  const rowsFile = `${aggregatedFile(format)}${options.suffix}`;
  await writeFile(join(folder, rowsFile), options.from ? "" : frameRowsHeader(format, columns));
  const video = await openVideo(deps.client, input);
  const videos = new FrameVideos(folder, job.save_image_outputs ? images : [], Math.min(video.probe.fps!, input.max_fps ?? Infinity), options.suffix);
  const videoState = options.from?.videoState ?? new MemoryVideoState();
  const counts = { restoredSteps: 0, cachedStepsRun: 0, frames: 0, framesRerun: 0 };
  let lastFrame = options.from?.lastFrame ?? 0;
  let ended = true;
  const onEvent = (event: { type: string; step: string; reused?: boolean }): void => {
    if (!replayable.has(event.step)) return;
    if (event.type === "step_finished" && event.reused) counts.restoredSteps++;
    if (event.type === "step_started") counts.cachedStepsRun++;
  };
  const caches = new SegmentCaches(deps, id, segments);
  const started = performance.now();
  try {
    // Frame ids count from 1: the frame after `lastFrame` is at index lastFrame.
    const source = await openFrames(video, input, lastFrame > 0 ? { startFrame: lastFrame } : {}, signal);
    for await (const frame of source) {
      const cached = replayable.size > 0 ? await caches.of(frame.frameId) : undefined;
      const cache = cached?.samePixels(frame.frameId, frameDigest(frame.image.data)) ? cached : undefined;
      if (cached && !cache) counts.framesRerun++;
      const { outputs } = await deps.engine.run(plan, frameInputs(plan, job.parameters, job.image_input, frame), {
        signal,
        serialize: false,
        services: { videoState },
        onEvent,
        ...(cache ? { checkpoints: cache.checkpoints(frame.frameId, replayable) } : {}),
      });
      const values = outputs[0] ?? {};
      await videos.write(values);
      await appendFile(join(folder, rowsFile), frameRowLine(format, columns, await frameRow(values, columns, frame)));
      counts.frames++;
      lastFrame = frame.frameId;
      if (options.stop(counts.frames)) {
        ended = false;
        break;
      }
    }
  } catch (error) {
    await videos.abort();
    throw namingSource(error, { url: video.url, source: input.video });
  }
  await videos.close();
  return {
    // Stopped right at the last frame: the next invocation finds no frame after it, and ends.
    ended,
    lastFrame,
    videoState,
    frames: counts.frames,
    seconds: (performance.now() - started) / 1000,
    rows: rowsFile,
    videos: { ...videos.files },
    restoredSteps: counts.restoredSteps,
    cachedStepsRun: counts.cachedStepsRun,
    framesRerun: counts.framesRerun,
  };
}

/** The segments' caches, read one at a time as the replay reaches each (frames come in order). */
class SegmentCaches {
  #index = -1;
  #current: SegmentCache | undefined;

  constructor(
    private readonly deps: { client: S3Client; bucket: string },
    private readonly job: string,
    private readonly segments: readonly ManifestItem[],
  ) {}

  async of(frame: number): Promise<SegmentCache> {
    while (this.#current === undefined || !this.#current.has(frame)) {
      let next = this.#index + 1;
      // A replay that starts mid-video (a later invocation) passes the segments before, unread.
      while (this.segments[next]?.segment!.last_frame != null && this.segments[next]!.segment!.last_frame! < frame) next++;
      const segment = this.segments[next];
      if (!segment || segment.segment!.first_frame > frame) throw new Error(`No segment cache holds frame ${frame}: the video's frames differ from those its segments were cut from`);
      const object = await this.deps.client.send(new GetObjectCommand({ Bucket: this.deps.bucket, Key: batchKeys.videoSegment(this.job, segment.image) }));
      this.#current = SegmentCache.parse(await object.Body!.transformToByteArray());
      this.#index = next;
    }
    return this.#current;
  }
}
