/**
 * What Finalize is given (its state: Prepare's output, the map's run, a video replay's mark) and
 * what it writes as `summary.json`, with what the map's workers reported. Its own module so that
 * Finalize and a video job's Finalize (video-finalize.ts) both read it without importing each other.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { JsonObjects } from "@cvflow/store";
import type { PreparedJob } from "./prepare.js";
import type { JobState, JobStatus } from "./status.js";
import type { WorkerReport } from "./worker.js";

/** The Distributed Map's output when it has a ResultWriter. */
export interface MapRunResult {
  MapRunArn: string;
  ResultWriterDetails: { Bucket: string; Key: string };
}

export interface FinalizeInput extends PreparedJob {
  map?: MapRunResult;
  /** Set by the map's Catch. */
  map_error?: { Error: string; Cause?: string };
  /** Set by Finalize itself while a video job's replay goes on (video-finalize.ts). */
  replay_pending?: boolean;
}

/** `summary.json`. */
export interface JobSummary {
  job: string;
  state: JobState;
  total: number;
  done: number;
  failed: number;
  tolerated_failure_percentage: number;
  started_at: string | null;
  finished_at: string;
  duration_s: number;
  images_per_s: number;
  /** A video job's frames, segments and replay (video-finalize.ts). */
  video?: VideoSummary;
}

/** A video job's part of summary.json (video-finalize.ts). */
export interface VideoSummary {
  frames: number;
  segments: number;
  replay_s: number;
  replay_frames_per_s: number;
  /** Finalize invocations the replay took (more than one when a video is longer than one invocation's time holds). */
  replay_invocations: number;
  /** Cached step outputs the replay restored, and cached steps it had to run all the same (0: the models ran once, in the segments). */
  restored_steps: number;
  cached_steps_run: number;
  /** Frames the replay decoded to other pixels than their segment had (a seek that was not exact): run whole, models included. */
  frames_rerun: number;
}

/** What the workers of this map run reported, summed from the ResultWriter's files. */
export async function workerReports(client: S3Client, map: MapRunResult): Promise<JobStatus["last_run"]> {
  const { Bucket: bucket, Key: key } = map.ResultWriterDetails;
  const objects = new JsonObjects(client, bucket);
  const manifest = (await objects.read<{ ResultFiles?: { SUCCEEDED?: { Key: string }[] } }>(key))?.value;
  const files = await objects.readAll<{ Output?: string }[]>((manifest?.ResultFiles?.SUCCEEDED ?? []).map((file) => file.Key));
  const total = { processed: 0, skipped: 0, failed: 0 };
  for (const entry of files.flat()) {
    const report = JSON.parse(entry.Output ?? "{}") as Partial<WorkerReport>;
    total.processed += report.processed ?? 0;
    total.skipped += report.skipped ?? 0;
    total.failed += report.failed ?? 0;
  }
  return total;
}
