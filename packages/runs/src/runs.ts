/**
 * What the service's routes (cvflow's own, LlamaIndex's, Dify's) ask of runs. Implemented by
 * RunsService (runs-service.ts) over the run store, the event log and a durable runner.
 */
import type { EventLog } from "./event-log.js";
import type { ExecutedRun } from "./execute-run.js";
import type { RunEvent } from "./run-events.js";
import type { RunRecord, WorkflowReference } from "./run-record.js";
import type { RunFilter, RunPage } from "./run-store.js";
import type { StoredRunRequest } from "./stored-request.js";

export interface RunRequest {
  /** The definition, or a plan the engine compiled already. */
  workflow: unknown;
  reference: WorkflowReference;
  inputs: Readonly<Record<string, unknown>>;
  /** The caller's workspace: who may see the run ("" for an anonymous caller). */
  workspace: string;
  startedBy: { keyId?: string; user?: string };
  excludedFields?: readonly string[];
  /** `disable_sinks`: every sink step answers that it was disabled and sends nothing. */
  disableSinks?: boolean;
  /** The same key and the same request give the same run; another request with it: 422. */
  idempotencyKey?: string;
  /** Told of the run's end by an HMAC-signed POST. */
  notificationUrl?: string;
  /** An async run's limit (default 15 min, at most the deployment's maximum). */
  limitMs?: number;
}

export interface Runs {
  readonly events: EventLog;
  /** Starts an async run; answers its record (queued or further) at once. */
  start(request: RunRequest): Promise<RunRecord>;
  /**
   * Runs in this process until done or `signal` (the request's deadline, the caller leaving)
   * fires, with a record and events as an async run has; `onEvent` sees each event as appended.
   * Answers the finished record.
   */
  runSync(request: RunRequest, signal: AbortSignal, onEvent?: (event: RunEvent) => void): Promise<RunRecord>;
  /**
   * runSync for the sync run routes, which answer as they did before runs had records: the
   * engine's result (outputs, profiler trace) or the error it threw, beside the record. It answers
   * as soon as the engine is done, the record as it will be; the last event and the final record
   * are written behind (`drain`).
   */
  runInProcess(request: RunRequest, signal: AbortSignal, options?: { onEvent?: (event: RunEvent) => void; enableProfiling?: boolean }): Promise<ExecutedRun>;
  /** Waits for what sync runs answered already still write (an invocation must not end before). */
  drain(): Promise<void>;
  get(id: string): Promise<RunRecord | undefined>;
  /** The request an async run was started with (definition, inputs, options); undefined for a sync run, which keeps none. */
  request(id: string): Promise<StoredRunRequest | undefined>;
  /** The run's outputs, from the record or from where the record says they are. */
  outputs(record: RunRecord): Promise<Record<string, unknown>[] | undefined>;
  list(filter: RunFilter, limit: number, cursor?: string): Promise<RunPage>;
  /** Stops the run's steps (within a second) and marks it cancelled; a finished run is left as it is. */
  cancel(id: string): Promise<RunRecord | undefined>;
  /** Answers the run's pending `wait_for_input` step; the answer is checked against the step's schema. */
  answer(id: string, answer: unknown): Promise<RunRecord | undefined>;
  /** Runs a failed or cancelled run again from the steps that did not succeed. */
  retry(id: string): Promise<RunRecord | undefined>;
  /** Deletes the run and its events (cancelling it first when it still runs). */
  purge(id: string): Promise<boolean>;
}
