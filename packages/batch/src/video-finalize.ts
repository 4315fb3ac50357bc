/**
 * Finalize for a video job: when every segment's cache is there, the replay (video-replay.ts)
 * writes `aggregated_results.csv|jsonl` and, with `save_image_outputs`, an mp4 per image output
 * under the output prefix; `summary.json` adds the frames, segments and the replay's time. A
 * replay longer than an invocation's time goes on in the next (video-replay-progress.ts). A
 * segment without its cache (its worker failed after its retries, or the map was stopped) fails
 * the job — there is no partial replay — and is listed in failures.jsonl as `not_processed`; a
 * restart runs only the segments missing.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { WorkflowError, type WorkflowEngine } from "@cvflow/engine";
import { workerReports, type FinalizeInput, type JobSummary, type VideoSummary } from "./finalize-shapes.js";
import type { S3BatchJobStore } from "./job-store.js";
import { pinnedJobWorkflow } from "./job-workflow.js";
import type { BatchJob } from "./job.js";
import { aggregatedFile, batchKeys, FAILURES_FILE, SUMMARY_FILE } from "./layout.js";
import { decodeVideoState, encodeVideoState, failuresJsonl, type FailureRecord } from "./output/index.js";
import { parseS3Url } from "./s3-location.js";
import type { JobStatus } from "./status.js";
import { replayVideo } from "./video-replay.js";
import { ReplayProgressStore, type ReplayPart, type ReplayProgress } from "./video-replay-progress.js";
import type { FaultInjector } from "./fault-injector.js";
import type { ManifestItem } from "./manifest.js";
import type { DeadlineContext } from "./worker.js";

export interface VideoFinalizeDependencies {
  client: S3Client;
  jobs: S3BatchJobStore;
  engine: WorkflowEngine;
  faults?: FaultInjector | undefined;
}

/** Finalize's answer while the replay goes on: its own input again, which the state machine hands back to it. */
export type PendingReplay = FinalizeInput & { replay_pending: true };

export async function finalizeVideo(deps: VideoFinalizeDependencies, input: FinalizeInput, job: BatchJob, context: DeadlineContext | undefined): Promise<JobSummary | PendingReplay> {
  const { client, jobs } = deps;
  const output = parseS3Url(job.output_prefix)!;
  const segments = (await jobs.manifest(input.job)) ?? [];
  const cached = await listKeys(client, jobs.bucket, batchKeys.videoSteps(input.job));
  const missing: FailureRecord[] = segments
    .filter((item) => !cached.has(batchKeys.videoSegment(input.job, item.image)))
    .map(({ image, source }) => ({ image, source, code: "not_processed", message: "The segment was not processed: its worker failed after its retries, or the job was stopped" }));
  const put = (name: string, body: string | NodeJS.ReadableStream, length: number, type: string): Promise<unknown> =>
    client.send(new PutObjectCommand({ Bucket: output.bucket, Key: output.key + name, Body: body as string, ContentLength: length, ContentType: type }));
  const failures = failuresJsonl(missing);
  await put(FAILURES_FILE, failures, Buffer.byteLength(failures), "application/x-ndjson");

  let replay: ReplayProgress | undefined;
  let videos: string[] = [];
  let error: { code: string; message: string } | undefined;
  if (input.map_error) error = { code: input.map_error.Error, message: input.map_error.Cause ?? input.map_error.Error };
  else if (missing.length > 0) error = { code: "segments_missing", message: `${missing.length} of ${segments.length} segments have no results, so the video cannot be replayed; failures.jsonl lists them, a restart runs them` };
  else {
    const folder = await mkdtemp(join(tmpdir(), "cvflow-replay-"));
    try {
      const replayed = await replayPart(deps, input, job, segments, folder, context);
      if (!replayed) return { ...input, replay_pending: true };
      ({ progress: replay, videos } = replayed);
      for (const file of [aggregatedFile(job.aggregation_format), ...videos]) {
        const path = join(folder, file);
        await put(file, createReadStream(path), (await stat(path)).size, file.endsWith(".mp4") ? "video/mp4" : job.aggregation_format === "csv" ? "text/csv" : "application/x-ndjson");
      }
      await new ReplayProgressStore(client, jobs.bucket, input.job).clear();
    } catch (failure) {
      if (!(failure instanceof WorkflowError)) throw failure;
      error = { code: failure.code, message: failure.message };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  const lastRun = input.map ? await workerReports(client, input.map) : undefined;
  const finishedAt = new Date().toISOString();
  const status = await jobs.updateStatus(input.job, (current) => closedVideo(current, input, { segments: segments.length, missing: missing.length, finishedAt, error, lastRun }));
  const startedAt = status?.started_at ?? null;
  const duration = startedAt ? Math.max(0.001, (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000) : 0;
  const video: VideoSummary | undefined = replay && {
    frames: replay.frames,
    segments: segments.length,
    replay_s: round(replay.seconds, 3),
    replay_frames_per_s: replay.seconds > 0 ? round(replay.frames / replay.seconds, 2) : 0,
    replay_invocations: replay.parts.length,
    restored_steps: replay.restored_steps,
    cached_steps_run: replay.cached_steps_run,
    frames_rerun: replay.frames_rerun,
  };
  const summary: JobSummary = {
    job: input.job,
    state: status?.state ?? "failed",
    total: segments.length,
    done: segments.length - missing.length,
    failed: missing.length,
    tolerated_failure_percentage: input.tolerated_failure_percentage,
    started_at: startedAt,
    finished_at: finishedAt,
    duration_s: round(duration, 3),
    // A video job's items are its frames: the whole job's frames per second.
    images_per_s: video && duration > 0 ? round(video.frames / duration, 2) : 0,
    ...(video ? { video } : {}),
  };
  const body = JSON.stringify(summary, null, 2);
  await put(SUMMARY_FILE, body, Buffer.byteLength(body), "application/json");
  return summary;
}

/**
 * Runs the replay on from where this execution's last invocation left it, until the video ends
 * (then the whole replay's files are in the folder, parts joined: its progress is answered with
 * the mp4s' names) or this invocation's time runs short (its part is
 * kept with the progress: undefined is answered, and Finalize runs again).
 */
async function replayPart(
  deps: VideoFinalizeDependencies,
  input: FinalizeInput,
  job: BatchJob,
  segments: readonly ManifestItem[],
  folder: string,
  context: DeadlineContext | undefined,
): Promise<{ progress: ReplayProgress; videos: string[] } | undefined> {
  const store = new ReplayProgressStore(deps.client, deps.jobs.bucket, input.job);
  const execution = input.execution ?? null;
  const progress = await store.read(execution);
  const { plan } = await pinnedJobWorkflow(input.job, job, deps);
  // Time kept to keep or join the files and answer: 15 % of what the invocation had, at least a minute.
  const margin = context ? Math.max(60_000, 0.15 * context.getRemainingTimeInMillis()) : 0;
  const frameBudget = deps.faults?.replayFrames(input.job) ?? Infinity;
  const result = await replayVideo({ client: deps.client, engine: deps.engine, bucket: deps.jobs.bucket }, input.job, job, plan, segments, folder, AbortSignal.timeout(2 ** 31 - 1), {
    from: progress && { lastFrame: progress.last_frame, videoState: await decodeVideoState(progress.video_state) },
    suffix: progress ? `-part-${progress.parts.length + 1}` : "",
    stop: (frames) => frames >= frameBudget || (context !== undefined && context.getRemainingTimeInMillis() < margin),
  });
  const part: ReplayPart = { rows: result.rows, videos: result.videos };
  const next: ReplayProgress = {
    execution,
    last_frame: result.lastFrame,
    parts: [...(progress?.parts ?? []), part],
    video_state: await encodeVideoState(result.videoState),
    frames: (progress?.frames ?? 0) + result.frames,
    seconds: (progress?.seconds ?? 0) + result.seconds,
    restored_steps: (progress?.restored_steps ?? 0) + result.restoredSteps,
    cached_steps_run: (progress?.cached_steps_run ?? 0) + result.cachedStepsRun,
    frames_rerun: (progress?.frames_rerun ?? 0) + result.framesRerun,
  };
  if (!result.ended) {
    await store.save(folder, part, next);
    return undefined;
  }
  const rows = aggregatedFile(job.aggregation_format);
  if (!progress) return { progress: next, videos: Object.values(part.videos) };
  const videos = await store.join(folder, progress.parts, part, rows, (output) => `source_0_output_${output}_preview.mp4`);
  return { progress: next, videos: Object.values(videos) };
}

/** The status at the end: `succeeded` with every segment replayed, else `failed` with why; an abort that came meanwhile stays. */
function closedVideo(
  current: JobStatus | undefined,
  input: FinalizeInput,
  end: { segments: number; missing: number; finishedAt: string; error: { code: string; message: string } | undefined; lastRun: JobStatus["last_run"] },
): JobStatus | undefined {
  if (!current) return undefined;
  const { error: _previous, ...rest } = current;
  const state = current.state === "aborted" ? "aborted" : end.error ? "failed" : "succeeded";
  return {
    ...rest,
    state,
    done: end.segments - end.missing,
    failed: end.missing,
    tolerated_failure_percentage: input.tolerated_failure_percentage,
    finished_at: end.finishedAt,
    ...(end.lastRun ? { last_run: end.lastRun } : {}),
    ...(end.error && state === "failed" ? { error: end.error } : {}),
  };
}

/** The keys below a prefix: one listing, not a request per segment. */
async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const { Key: key } of page.Contents ?? []) keys.add(key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
