/**
 * Runs as the service sends them and clients read them (docs/runs.md): the run record and its
 * events. Owned here, not in @cvflow/runs, so the SDK and CLI share the shapes without the server;
 * @cvflow/runs re-exports them. Add a field here.
 */

/**
 * A run's record: what it is, who started it, where it is, and each of its steps. One per run,
 * sync runs included; the dialects (LlamaIndex handlers, Dify workflow runs) are views of it.
 */
export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run in one of these is over: nothing changes it any more but a retry (a new attempt) or a purge. */
export const FINISHED_STATUSES: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "cancelled", "timed_out"]);

export function isFinished(status: RunStatus): boolean {
  return FINISHED_STATUSES.has(status);
}

export type StepStatus = "pending" | "running" | "waiting" | "succeeded" | "failed" | "skipped" | "cancelled";

export interface StepRecord {
  /** The step's name in the definition. */
  name: string;
  /** Its block's type as the definition wrote it. */
  block: string;
  status: StepStatus;
  /** How many times this step was started, over all attempts of the run. */
  attempts: number;
  /** The run attempt whose output this step's record describes (a retry keeps the steps it reuses). */
  attempt?: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Elements run and elements skipped by flow control (a step at batch level runs once per image). */
  elements?: number;
  skipped?: number;
  error?: RunError;
}

export interface RunError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface RunAttempt {
  number: number;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  /** Steps whose checkpointed outputs this attempt reused instead of running them again. */
  reusedSteps: string[];
}

/** What a `cvflow/wait_for_input@v1` step asks while the run waits. */
export interface InputRequest {
  step: string;
  prompt: string;
  /** JSON Schema of the answer the step takes. */
  schema: Record<string, unknown>;
  /** What the step shows the person (its `data` field, serialized). */
  data?: unknown;
  requestedAt: string;
  /** When the wait times out (the run then fails `input_timeout`). */
  expiresAt?: string;
  /** The durable execution's callback that the answer completes (set by the durable handler while it waits). */
  callbackId?: string;
}

export interface WebhookDelivery {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; absent when it could not be reached. */
  status?: number;
  error?: string;
  delivered: boolean;
}

export interface WorkflowReference {
  /** Present for a saved workflow; an inline run has none. */
  workspace?: string;
  id?: string;
  versionId?: string;
  /** The workflow's name as the dialects show it (a saved workflow's id; "inline" otherwise). */
  name: string;
}

export interface RunRecord {
  id: string;
  /** Dify's task id: what `stop` takes. Its own id, so a stop can never be mistaken for another run's. */
  taskId: string;
  /** Who may see the run: the caller's workspace ("" for an anonymous run of a public workflow). */
  workspace: string;
  mode: "sync" | "async";
  workflow: WorkflowReference;
  startedBy: { keyId?: string; user?: string };
  status: RunStatus;
  /** One line per input: `image: jpeg 810x1080 (142 KB)`, `confidence: 0.4`; never the bytes. */
  inputsSummary: Record<string, string>;
  /** The outputs when they are small; else `outputsKey` names the S3 object that holds them. */
  outputs?: Record<string, unknown>[];
  outputsKey?: string;
  error?: RunError;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  elapsedMs?: number;
  totalSteps: number;
  steps: StepRecord[];
  attempts: RunAttempt[];
  waitingFor?: InputRequest;
  /** The answers given to `wait_for_input` steps, by step name: a resumed run (after a restart too) takes them from here. */
  answers?: Record<string, unknown>;
  /** An async run's limit; a sync run's is the request's deadline. */
  limitMs: number;
  idempotencyKey?: string;
  notificationUrl?: string;
  deliveries: WebhookDelivery[];
  /** The sequence number of the last event appended to the run's log. */
  lastSequence: number;
  cancelRequestedAt?: string;
}

/**
 * A run's events: an append-only log, numbered from 1 per run. Readers resume after the last
 * sequence number they saw (SSE `Last-Event-ID`), so every reader gets every event exactly once.
 */
export type RunEventData =
  | { type: "run_queued" }
  | { type: "run_started"; attempt: number }
  | { type: "step_started"; step: string; block: string }
  | { type: "step_finished"; step: string; block: string; durationMs: number; elements: number; skipped: number; reused?: boolean }
  | { type: "step_failed"; step: string; block: string; durationMs: number; error: RunError }
  | { type: "input_required"; request: InputRequest }
  | { type: "input_received"; step: string; answer: unknown }
  | { type: "run_finished"; status: Extract<RunStatus, "succeeded" | "failed" | "cancelled" | "timed_out">; error?: RunError; elapsedMs: number };

export type RunEventType = RunEventData["type"];

export type RunEvent = RunEventData & {
  runId: string;
  /** 1, 2, 3, ... within the run. */
  sequence: number;
  /** ISO time the event was appended. */
  at: string;
};

/** The event that ends a run's stream (a retry starts a new one after it). */
export function isFinalEvent(event: RunEvent): boolean {
  return event.type === "run_finished";
}
