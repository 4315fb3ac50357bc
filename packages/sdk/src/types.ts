/** What the client sends and receives (docs/api.md); names are camelCase where the API's own are not. */

/** A workflow definition `{version, inputs, steps, outputs}`; the client also takes it wrapped as `{"specification": ...}`. */
export type Specification = Record<string, unknown>;

/** An image input in the API's wire form. */
export interface ImageInput {
  type: "base64" | "url" | "s3" | "file";
  value: string;
}

/**
 * One image to send: a file path, an http(s) URL, an `s3://` reference, bytes, a base64 string, a
 * data URL, or an already wrapped ImageInput.
 */
export type ImageSource = string | Uint8Array | ImageInput;

export interface CvflowClientOptions {
  /** e.g. `http://127.0.0.1:9001` or a Lambda Function URL; a path prefix is kept. */
  baseUrl: string;
  /** A workspace API key (`cvf_…`), sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** A workflow token (from createWorkflowToken); when given it is sent instead of apiKey. */
  token?: string;
  /** Replaces the global fetch (for tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  /** Bound of each HTTP request, answer body included; default 60 000. */
  timeoutMs?: number;
}

/** A saved workflow (optionally one of its older versions) or an inline definition. */
export type WorkflowTarget = { workspace: string; workflowId: string; versionId?: string } | { specification: Specification };

export interface RunOptions {
  /** Image inputs by name; an array is a batch. */
  images?: Record<string, ImageSource | ImageSource[]>;
  /** The other inputs (WorkflowParameter values) by name. */
  parameters?: Record<string, unknown>;
  excludedFields?: string[];
  enableProfiling?: boolean;
}

/** A Chrome trace event, as the profiler records one per step. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  [field: string]: unknown;
}

export interface RunResult {
  /** One object per input image (or one for a run without batch inputs), keyed by output name. */
  outputs: Record<string, unknown>[];
  profilerTrace?: TraceEvent[];
}

export interface ValidationResult {
  status: "ok";
}

export interface WorkflowInterface {
  /** Input name → the kinds it accepts. */
  inputs: Record<string, string[]>;
  /** Output name → the kinds it carries. */
  outputs: Record<string, string[]>;
  /** Kind → the JSON type of its values. */
  typingHints: Record<string, string>;
  kindsSchemas: Record<string, unknown>;
}

/** A block manifest as the grammar's describe route reports it (snake_case, as on the wire). */
export interface BlockDescription {
  manifest_type_identifier: string;
  aliases: string[];
  human_friendly_block_name: string;
  block_schema: Record<string, unknown>;
  outputs_manifest: unknown[];
  [field: string]: unknown;
}

export interface KindDescription {
  name: string;
  [field: string]: unknown;
}

export interface BlocksDescription {
  blocks: BlockDescription[];
  kinds: KindDescription[];
}

export interface DefinitionSchema {
  /** The JSON Schema of the grammar. */
  schema: Record<string, unknown>;
}

export interface Health {
  status: "ok";
  version: string;
}

/** A workflow as lists show it. `id` equals `url`, its name in routes. */
export interface WorkflowSummary {
  id: string;
  url: string;
  name: string;
  workspace: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
  versionId: string;
}

export interface Workflow extends WorkflowSummary {
  /** The JSON string of `{"specification": ...}`, as the management API sends it. */
  config: string;
}

export interface TrashedWorkflow extends WorkflowSummary {
  deletedAt: string;
}

export interface WorkflowVersion {
  versionId: string;
  createdAt: string;
  name: string;
}

/** A workflow with the ETag that updates and deletes carry back. */
export interface SavedWorkflow {
  workflow: Workflow;
  etag: string;
}

export interface WorkflowWithSpecification extends SavedWorkflow {
  /** The bare definition parsed from `workflow.config`. */
  specification: Specification;
}

export interface NewWorkflow {
  name: string;
  /** Its name in routes; when absent the server chooses one. */
  url?: string;
  specification: Specification;
  public?: boolean;
}

export interface WorkflowChanges {
  name?: string;
  specification?: Specification;
  public?: boolean;
}

export interface ForkOptions {
  newUrl?: string;
  newName?: string;
}

/** A stale etag makes the server refuse with 412 `precondition_failed`. */
export interface EtagOption {
  etag?: string;
}

export interface WorkflowToken {
  /** A Bearer credential that may only run the workflow it was made for. */
  token: string;
  expiresAt: string;
}

export interface Upload {
  /** A presigned PUT URL for the image bytes. */
  uploadUrl: string;
  expiresAt: string;
  /** The `{"type": "s3"}` input to pass once the bytes are there. */
  image: ImageInput;
}

// ── batch jobs (docs/batch.md); fields as on the wire, as job.json names them ──

/** A job to submit: POST /batch/jobs. `workspace` is the API key's. */
export interface BatchJobRequest {
  /** A saved workflow, or an inline definition as `{"specification": ...}`. */
  workflow: { workspace: string; id: string; version_id?: string } | { specification: Specification };
  /** Every image below an S3 prefix, or a list of `s3://` and `https://` sources. */
  input: { prefix: string } | { manifest: string[] };
  parameters?: Record<string, unknown>;
  /** The workflow input the images feed; default "image". */
  image_input?: string;
  output_prefix?: string;
  aggregation_format?: "csv" | "jsonl";
  save_image_outputs?: boolean;
  batch_size?: number;
  max_concurrency?: number;
  /** Percent of images that may fail before the job ends `failed`; default 10. */
  tolerated_failure_percentage?: number;
}

/**
 * `succeeded`: every image has results; `completed_with_failures`: some failed, no more than
 * tolerated; `failed`: more failed than tolerated (`error` says how many), or the job could not run.
 */
export type BatchJobState = "submitted" | "running" | "succeeded" | "completed_with_failures" | "failed" | "aborted";

export interface BatchJobSubmitted {
  job: string;
  state: BatchJobState;
}

/** GET /batch/jobs/{id}; counts and times appear once the job has them. */
export interface BatchJobStatus {
  job: string;
  state: BatchJobState;
  total?: number;
  done?: number;
  failed?: number;
  tolerated_failure_percentage?: number;
  started_at?: string | null;
  finished_at?: string | null;
  output_prefix?: string;
  /** Why a job failed: `too_many_failures`, the map's error, or why it could not run. */
  error?: { code: string; message: string };
  [field: string]: unknown;
}
