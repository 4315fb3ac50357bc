/**
 * Prepare, the state machine's first step: validates the job, pins its workflow (the saved version
 * and the saved workflows it includes, written whole to `workflow.json`: job-workflow.ts), lists
 * its images into `manifest.json` (which the Distributed Map's ItemReader reads) and marks it
 * running. A manifest written by an earlier execution for the same `input` is kept: a restart or
 * a resubmission works over the same images (and the same names), and the workers skip those
 * already done; a job.json uploaded again with another input is listed afresh.
 */
import { createHash } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { WorkflowError, type WorkflowEngine } from "@cvflow/engine";
import type { WorkflowStore } from "@cvflow/store";
import { isRecord, type BatchVideoInput } from "@cvflow/wire";
import type { S3BatchJobStore } from "./job-store.js";
import { resolveJobWorkflow } from "./job-workflow.js";
import { parseJob, type BatchJob } from "./job.js";
import { batchKeys } from "./layout.js";
import { listImages } from "./list-images.js";
import { manifestItems, type ManifestItem } from "./manifest.js";
import { hasOutput } from "./output-listing.js";
import { parseS3Url } from "./s3-location.js";
import type { JobStatus } from "./status.js";
import { retryable } from "./transient-error.js";
import { openVideo, videoSegments } from "./video-job.js";

export interface PrepareInput {
  job: string;
  bucket: string;
  /** The execution's name ($$.Execution.Name). */
  execution: string;
  /** The definition's defaults of a job's tuning. */
  defaults: { batch_size: number; max_concurrency: number; tolerated_failure_percentage: number };
}

/** Prepare's output: the state the map and Finalize read. */
export interface PreparedJob {
  job: string;
  bucket: string;
  manifest_key: string;
  map_results_prefix: string;
  total: number;
  batch_size: number;
  max_concurrency: number;
  /** Read by the map (ToleratedFailurePercentagePath) and by Finalize, which decides how the job ends. */
  tolerated_failure_percentage: number;
  /** The saved workflow version every batch runs (pinned with its children in workflow.json); null for an inline specification. */
  workflow_version_id: string | null;
  /** The execution (a video job's replay progress belongs to one). */
  execution?: string;
  /**
   * The output prefix already had documents (a restart, a resubmission): the workers check each
   * image (HEAD) before computing it. On a first run they do not, and write conditionally instead.
   */
  check_done: boolean;
}

export interface PrepareDependencies {
  client: S3Client;
  jobs: S3BatchJobStore;
  workflows: WorkflowStore;
  engine: WorkflowEngine;
}

/** The job will not run: invalid, or aborted before this execution got to it. Not retried. */
export class JobRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "cvflow.JobRefused";
  }
}

export function createPrepare(deps: PrepareDependencies): (input: PrepareInput) => Promise<PreparedJob> {
  const { jobs } = deps;
  return async (input) => {
    if (input.bucket !== jobs.bucket) throw new JobRefused(`Jobs live in s3://${jobs.bucket}, not s3://${input.bucket}`);
    try {
      const raw = await jobs.readJob(input.job).catch((error: unknown) => refuseInvalid(deps, input, undefined, error));
      if (raw === undefined) throw new JobRefused(`There is no batches/${input.job}/job.json`);
      const { job, versionId } = await checked(deps, input, raw);
      const fingerprint = inputFingerprint(job);
      const previous = await jobs.status(input.job);
      const kept = previous?.input_fingerprint === fingerprint ? await jobs.manifest(input.job) : undefined;
      const listed = kept ? { items: kept, frames: previous?.frames } : await writeManifest(deps, input, job);
      const items = listed.items;
      // A video job's segments find their own caches (video-segment.ts).
      const checkDone = !("video" in job.input) && (await hasOutput(deps.client, parseS3Url(job.output_prefix)!));
      await jobs.addToIndex(job.workspace, input.job);
      const status = await jobs.updateStatus(input.job, (current) =>
        abortedBefore(current, input.execution) ? undefined : { ...running(current, input, job, items.length), ...(listed.frames === undefined ? {} : { frames: listed.frames }), input_fingerprint: fingerprint },
      );
      if (status?.state !== "running") throw new JobRefused(`Job ${input.job} was aborted`);
      return {
        job: input.job,
        bucket: input.bucket,
        manifest_key: batchKeys.manifest(input.job),
        map_results_prefix: batchKeys.mapResults(input.job),
        total: items.length,
        // A video job's segment is a worker's call by itself (DEFAULT_SEGMENT_FRAMES is sized for one).
        batch_size: job.batch_size ?? ("video" in job.input ? 1 : input.defaults.batch_size),
        max_concurrency: job.max_concurrency ?? input.defaults.max_concurrency,
        tolerated_failure_percentage: job.tolerated_failure_percentage ?? input.defaults.tolerated_failure_percentage,
        workflow_version_id: versionId,
        execution: input.execution,
        check_done: checkDone,
      };
    } catch (error) {
      throw retryable(error, `Preparing job ${input.job}`);
    }
  };
}

/** The job parsed and its workflow resolved and pinned; an invalid one is refused. */
async function checked(deps: PrepareDependencies, input: PrepareInput, raw: unknown): Promise<{ job: BatchJob; versionId: string | null }> {
  try {
    const job = parseJob(raw, { job: input.job, bucket: input.bucket });
    const { specification, versionId } = await resolveJobWorkflow(job, deps);
    await deps.jobs.pinWorkflow(input.job, { version_id: versionId, specification });
    return { job, versionId };
  } catch (error) {
    return refuseInvalid(deps, input, raw, error);
  }
}

/** A job that cannot run is marked failed with the reason, then refused; other errors pass. */
async function refuseInvalid(deps: PrepareDependencies, input: PrepareInput, raw: unknown, error: unknown): Promise<never> {
  if (!(error instanceof WorkflowError)) throw error;
  const workspace = isRecord(raw) && typeof raw["workspace"] === "string" ? raw["workspace"] : "";
  const now = new Date().toISOString();
  await deps.jobs.updateStatus(input.job, (current) => ({
    job: input.job,
    workspace: current?.workspace ?? workspace,
    output_prefix: current?.output_prefix ?? "",
    submitted_at: current?.submitted_at ?? now,
    started_at: now,
    finished_at: now,
    execution: input.execution,
    state: "failed",
    error: { code: error.code, message: error.message },
  }));
  throw new JobRefused(`Job ${input.job} is not valid: ${error.message}`);
}

async function writeManifest(deps: PrepareDependencies, input: PrepareInput, job: BatchJob): Promise<{ items: ManifestItem[]; frames?: number }> {
  if ("video" in job.input) {
    const { video } = job.input;
    // A video that cannot be read or split fails the job, as an invalid one does.
    const videoInput: BatchVideoInput = job.input;
    const segments = await openVideo(deps.client, videoInput)
      .then((opened) => videoSegments(video, opened.probe, videoInput))
      .catch((error: unknown) => (error instanceof WorkflowError ? refuseInvalid(deps, input, job, error) : Promise.reject(error)));
    await deps.jobs.writeManifest(input.job, segments.items);
    return segments;
  }
  const prefix = "prefix" in job.input ? job.input.prefix : null;
  const sources = prefix === null ? (job.input as { manifest: string[] }).manifest : await listImages(deps.client, parseS3Url(prefix)!);
  const items = manifestItems(sources, prefix);
  await deps.jobs.writeManifest(input.job, items);
  return { items };
}

/** What the manifest was listed from. */
function inputFingerprint(job: BatchJob): string {
  return createHash("sha256").update(JSON.stringify(job.input)).digest("hex").slice(0, 32);
}

/**
 * Aborted before this execution could run: by an abort while the job was only submitted (no
 * execution yet), or of this very execution. A later execution (a restart, a resubmission) runs.
 */
function abortedBefore(current: JobStatus | undefined, execution: string): boolean {
  return current?.state === "aborted" && (current.execution === null || current.execution === execution);
}

function running(current: JobStatus | undefined, input: PrepareInput, job: BatchJob, total: number): JobStatus {
  const now = new Date().toISOString();
  return {
    job: input.job,
    workspace: job.workspace,
    state: "running",
    output_prefix: job.output_prefix,
    submitted_at: current?.submitted_at ?? now,
    started_at: now,
    finished_at: null,
    total,
    execution: input.execution,
  };
}
