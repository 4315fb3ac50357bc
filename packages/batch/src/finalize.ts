/**
 * Finalize, the state machine's last step (also reached when the map fails): gathers every
 * image's results.json or failure.json, in manifest order, into `aggregated_results.csv|jsonl`,
 * `failures.jsonl` and `summary.json` under the output prefix, and closes status.json with how
 * the job ended (endState). An image with neither (its batch failed, or the map was stopped) is
 * listed in failures.jsonl as `not_processed` but gets no failure.json, so a restart still
 * processes it.
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { WorkflowEngine } from "@cvflow/engine";
import type { S3BatchJobStore } from "./job-store.js";
import { parseJob } from "./job.js";
import { aggregateImages, type AggregationOptions } from "./finalize-aggregation.js";
import { SUMMARY_FILE } from "./layout.js";
import { parseS3Url } from "./s3-location.js";
import type { JobState, JobStatus } from "./status.js";
import { retryable } from "./transient-error.js";
import { workerReports, type FinalizeInput, type JobSummary } from "./finalize-shapes.js";
import { finalizeVideo, type PendingReplay } from "./video-finalize.js";
import type { FaultInjector } from "./fault-injector.js";
import type { DeadlineContext } from "./worker.js";

/** The summary; or, while a video job's replay or an image job's aggregation goes on, Finalize's input again. */
export type FinalizeOutput = JobSummary | PendingReplay;

export interface FinalizeDependencies {
  client: S3Client;
  jobs: S3BatchJobStore;
  /** A video job's replay runs the workflow: needed for video jobs only. */
  engine?: WorkflowEngine;
  /** Tests only: cuts a video job's replay short (FaultInjector.replayFrames). */
  faults?: FaultInjector | undefined;
  /** Tests only: an image job's aggregation in smaller chunks and parts (finalize-aggregation.ts). */
  aggregation?: Pick<AggregationOptions, "chunk" | "partBytes">;
}

export function createFinalize(deps: FinalizeDependencies): (input: FinalizeInput, context?: DeadlineContext) => Promise<FinalizeOutput> {
  return async (input, context) => {
    try {
      return await finalize(deps, input, context);
    } catch (error) {
      throw retryable(error, `Finalizing job ${input.job}`);
    }
  };
}

async function finalize(deps: FinalizeDependencies, input: FinalizeInput, context: DeadlineContext | undefined): Promise<FinalizeOutput> {
  const { client, jobs } = deps;
  const job = parseJob(await jobs.readJob(input.job), { job: input.job, bucket: jobs.bucket });
  if ("video" in job.input) {
    if (!deps.engine) throw new Error("Finalize was built without an engine, which a video job's replay needs");
    return finalizeVideo({ client, jobs, engine: deps.engine, faults: deps.faults }, input, job, context);
  }
  const output = parseS3Url(job.output_prefix)!;
  const items = (await jobs.manifest(input.job)) ?? [];
  // Time kept to write the files (a CSV is written from the documents once all are read) and
  // answer: a quarter of what the invocation had, at least two minutes.
  const margin = context ? Math.max(120_000, 0.25 * context.getRemainingTimeInMillis()) : 0;
  const counts = await aggregateImages({
    client,
    bucket: jobs.bucket,
    job: input.job,
    execution: input.execution ?? null,
    output,
    format: job.aggregation_format,
    items,
    timeShort: () => context !== undefined && context.getRemainingTimeInMillis() < margin,
    ...deps.aggregation,
  });
  if (!counts) return { ...input, replay_pending: true };

  // An explicit length: the SDK sends none for an empty body, and then warns of a stream.
  const put = (name: string, body: string, type: string): Promise<unknown> =>
    client.send(new PutObjectCommand({ Bucket: output.bucket, Key: output.key + name, Body: body, ContentLength: Buffer.byteLength(body), ContentType: type }));
  const lastRun = input.map ? await workerReports(client, input.map) : undefined;
  const finishedAt = new Date().toISOString();
  const status = await jobs.updateStatus(input.job, (current) => closed(current, input, { total: items.length, done: counts.done, failed: counts.failed, finishedAt, lastRun }));
  const startedAt = status?.started_at ?? null;
  const duration = startedAt ? Math.max(0.001, (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000) : 0;
  const processed = counts.done + counts.failed_processed;
  const summary: JobSummary = {
    job: input.job,
    state: status?.state ?? "failed",
    total: items.length,
    done: counts.done,
    failed: counts.failed,
    tolerated_failure_percentage: input.tolerated_failure_percentage,
    started_at: startedAt,
    finished_at: finishedAt,
    duration_s: round(duration, 3),
    images_per_s: duration > 0 ? round(processed / duration, 2) : 0,
  };
  await put(SUMMARY_FILE, JSON.stringify(summary, null, 2), "application/json");
  return summary;
}

/** The status at the end; an abort that came meanwhile stays. */
function closed(
  current: JobStatus | undefined,
  input: FinalizeInput,
  counts: { total: number; done: number; failed: number; finishedAt: string; lastRun: JobStatus["last_run"] },
): JobStatus | undefined {
  if (!current) return undefined;
  const { state, error } = current.state === "aborted" ? { state: "aborted" as const, error: undefined } : endState(input, counts);
  const { error: _previous, ...rest } = current;
  return {
    ...rest,
    state,
    done: counts.done,
    failed: counts.failed,
    tolerated_failure_percentage: input.tolerated_failure_percentage,
    finished_at: counts.finishedAt,
    ...(counts.lastRun ? { last_run: counts.lastRun } : {}),
    ...(error ? { error } : {}),
  };
}

/**
 * How a job that ran to its end ended. The map tolerates failed *batches* (their images) up to
 * the percentage; an image with a failure record does not fail its batch, so the same percentage
 * is applied here to every image that failed: past it, `failed`; within it, `completed_with_failures`.
 */
function endState(
  input: Pick<FinalizeInput, "map_error" | "tolerated_failure_percentage">,
  counts: { total: number; failed: number },
): { state: Exclude<JobState, "submitted" | "running" | "aborted">; error?: { code: string; message: string } } {
  if (input.map_error) return { state: "failed", error: { code: input.map_error.Error, message: input.map_error.Cause ?? input.map_error.Error } };
  if (counts.failed === 0) return { state: "succeeded" };
  const percent = (100 * counts.failed) / counts.total;
  if (percent <= input.tolerated_failure_percentage) return { state: "completed_with_failures" };
  const message = `${counts.failed} of ${counts.total} images failed (${round(percent, 1)} %), more than the ${input.tolerated_failure_percentage} % the job tolerates; failures.jsonl lists them`;
  return { state: "failed", error: { code: "too_many_failures", message } };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
