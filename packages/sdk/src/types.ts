/**
 * What the client sends and receives (docs/api.md). The bodies as the service sends them are
 * @cvflow/wire's (one definition for the service and the client, types only); the client's own
 * shapes, camelCase where the API's names are not, are here.
 */
import type { ImageInput, RunRecord, RunStatus, TaggedWorkflow, TraceEvent, ValidateResponse, Workflow } from "@cvflow/wire";

export type {
  BatchJobRequest,
  BatchJobResults,
  BatchJobState,
  BatchJobStatus,
  BatchJobSubmitted,
  BatchResultFile,
  BlockDescription,
  BlocksDescription,
  DefinitionSchema,
  Health,
  ImageInput,
  InputRequest,
  KindDescription,
  RestoredWorkflow,
  RunAttempt,
  RunError,
  RunEvent,
  RunEventData,
  RunEventType,
  RunInputs,
  RunRecord,
  RunStatus,
  StepRecord,
  StepStatus,
  WebhookDelivery,
  WorkflowReference,
  TraceEvent,
  TrashedWorkflow,
  Workflow,
  WorkflowSummary,
  WorkflowVersion,
} from "@cvflow/wire";

/** A workflow definition `{version, inputs, steps, outputs}`; the client also takes it wrapped as `{"specification": ...}`. */
export type Specification = Record<string, unknown>;

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
  /** Every sink step sends and writes nothing, and says so in its outputs (`disable_sinks`). */
  disableSinks?: boolean;
  /** Sent as `Idempotency-Key`: the same key with the same request gives the same run (another request with it: 422). */
  idempotencyKey?: string;
}

/** An async run (runNowait): a run's options, and who to tell when it ends. */
export interface RunNowaitOptions extends Omit<RunOptions, "enableProfiling"> {
  /** Told of the run's end by an HMAC-signed POST (docs/runs.md, webhooks). */
  notificationUrl?: string;
  /** The run's limit (server default 15 min, capped by the deployment's maximum). */
  limitMs?: number;
}

/** GET /runs: the key's workspace's runs, newest first. */
export interface ListRunsOptions {
  status?: RunStatus | RunStatus[];
  /** A saved workflow's id ("inline" for inline definitions). */
  workflow?: string;
  /** Created at or after / before. */
  from?: Date | string;
  to?: Date | string;
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
}

export interface RunList {
  runs: RunRecord[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  cursor?: string;
}

export interface RunResult {
  /** One object per input image (or one for a run without batch inputs), keyed by output name. */
  outputs: Record<string, unknown>[];
  profilerTrace?: TraceEvent[];
  /** The run's record (getRun), where the server keeps them (X-Cvflow-Run-Id). */
  runId?: string;
}

export type ValidationResult = ValidateResponse;

export interface WorkflowInterface {
  /** Input name → the kinds it accepts. */
  inputs: Record<string, string[]>;
  /** Output name → the kinds it carries. */
  outputs: Record<string, string[]>;
  /** Kind → the JSON type of its values. */
  typingHints: Record<string, string>;
  kindsSchemas: Record<string, unknown>;
}

/** A workflow with the ETag that updates and deletes carry back. */
export type SavedWorkflow = TaggedWorkflow;

export interface WorkflowWithSpecification extends SavedWorkflow {
  /** The bare definition parsed from `workflow.config`. */
  specification: Specification;
}

/**
 * One version of a workflow read by its id. `etag` only when that version is the current one: an
 * older version has none, as an update must carry the current version's.
 */
export interface WorkflowVersionWithSpecification {
  workflow: Workflow;
  specification: Specification;
  etag?: string;
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

/** Who the credential is (whoami). */
export interface Identity {
  workspace: string;
  /** An API key's scopes; a workflow token's `["workflow:run"]`. */
  scopes: string[];
  /** An API key's id as run records name it (`startedBy.keyId`): the start of its SHA-256, never the key. */
  keyId?: string;
  /** A workflow token: the one workflow it may run. */
  workflow?: string;
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
