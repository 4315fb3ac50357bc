/** Batch jobs over HTTP (docs/batch.md): what a client submits and what the service answers. Types only. */

/** A job to submit: POST /batch/jobs. `workspace` is the API key's. */
export interface BatchJobRequest {
  /** A saved workflow, or an inline definition as `{"specification": ...}`. */
  workflow: BatchJobWorkflow;
  /** Every image below an S3 prefix, or a list of `s3://` and `https://` sources. */
  input: BatchJobInput;
  parameters?: Record<string, unknown>;
  /** The workflow input the images feed; default "image". */
  image_input?: string;
  output_prefix?: string;
  aggregation_format?: AggregationFormat;
  save_image_outputs?: boolean;
  batch_size?: number;
  max_concurrency?: number;
  /** Percent of images that may fail before the job ends `failed`; default 10. */
  tolerated_failure_percentage?: number;
}

export type BatchJobWorkflow = { workspace: string; id: string; version_id?: string } | { specification: Record<string, unknown> };
export type BatchJobInput = { prefix: string } | { manifest: string[] } | BatchVideoInput;

/**
 * A video in S3, split into segments of `segment_frames` taken frames that run the models in
 * parallel, then replayed once in frame order for the stateful blocks (docs/batch.md, "Video jobs").
 */
export interface BatchVideoInput {
  video: string;
  /** Take at most this many frames per second (the rule of `cvflow process-video --max-fps`). */
  max_fps?: number;
  /** Taken frames per segment (one worker call each); default 1000. */
  segment_frames?: number;
}
export type AggregationFormat = "csv" | "jsonl";

/**
 * How a job ends: `succeeded`, every image with results; `completed_with_failures`, some images
 * failed, no more than the job tolerates; `failed`, more failed than it tolerates (`error` says how
 * many), or the job could not run; `aborted`, stopped through the API.
 */
export type BatchJobState = "submitted" | "running" | "succeeded" | "completed_with_failures" | "failed" | "aborted";

export interface BatchJobSubmitted {
  job: string;
  state: BatchJobState;
}

/** GET /batch/jobs/{id}; counts and times appear once the job has them. */
export interface BatchJobStatus {
  job: string;
  workspace: string;
  state: BatchJobState;
  output_prefix: string;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Images in the job (a video job: segments), once it has started. */
  total?: number;
  /** A video job: the frames it processes (those max_fps takes). */
  frames?: number;
  /** Images with results / with a failure record (and, once finished, those not processed). */
  done?: number;
  failed?: number;
  /** Percent of images that may fail before the job ends `failed`; set once it has finished. */
  tolerated_failure_percentage?: number;
  /** The state machine execution working on the job, or that last did. */
  execution: string | null;
  /** What the workers of the last execution did: a resubmission processes nothing and skips all. */
  last_run?: { processed: number; skipped: number; failed: number };
  /** Why a job failed: `too_many_failures`, the map's error, or why it could not run. */
  error?: { code: string; message: string };
}

/** GET /batch/jobs/{id}/results: the job's files for download, each a presigned GET URL. */
export interface BatchJobResults {
  job: string;
  state: BatchJobState;
  /** Those written so far, in this order: `aggregated_results.csv` or `.jsonl`, `failures.jsonl`, `summary.json` (none before the job's end). */
  files: BatchResultFile[];
}

export interface BatchResultFile {
  name: string;
  /** Bytes. */
  size: number;
  /** A presigned GET, valid for an hour: a link a browser follows without the API key. */
  url: string;
}

/** An image a job could not process: `{image}/failure.json`, and one line of the job's `failures.jsonl`. */
export interface BatchFailureRecord {
  /** Its name in the job's output (its key relative to the input prefix, without extension). */
  image: string;
  source: string;
  code: string;
  message: string;
}

/** Newest first. */
export interface BatchJobList {
  jobs: BatchJobStatus[];
}
