/**
 * executeRun: one run (or one segment of an async run, up to a `wait_for_input` step without an
 * answer) on the engine, with its record and its events — the same function for sync runs
 * in-process (RunsService.runSync) and for async runs in the durable handler.
 *
 * - The run stops at its signal (the request's deadline, an async run's limit, the caller going
 *   away) and at a cancel: in this process at once (ActiveRuns), from elsewhere within a poll of
 *   the record (watchCancel).
 * - Each engine step event becomes a run event (appended in order, overlapping the run) and a
 *   change of the step's StepRecord; the record is written coalesced (record-writes.ts), the
 *   final state always.
 * - Outputs go into the record, or into runs/{id}/outputs.json when over OUTPUTS_IN_RECORD_BYTES.
 * - A failure becomes the record's RunError (code, message, details): never a stack or a path.
 */
import { InputRequired, WorkflowError, withoutDirectories, type CompiledWorkflow, type RunOptions, type RunResult, type StepEvent, type WorkflowEngine } from "@cvflow/engine";
import { AsyncLocalStorage } from "node:async_hooks";
import { activeRuns, CANCEL_POLL_MS, watchCancel, type ActiveRuns } from "./active-runs.js";
import { detached } from "./detached.js";
import type { EventLog, EventWriter } from "./event-log.js";
import { runKeys } from "./layout.js";
import { CoalescedRecordWrites, RECORD_WRITE_MS } from "./record-writes.js";
import type { RunEvent, RunEventData } from "./run-events.js";
import { isFinished, type RunAttempt, type RunError, type RunRecord, type RunStatus, type StepRecord } from "./run-record.js";
import type { RunStore } from "./run-store.js";

/** Outputs whose JSON is larger than this go to runs/{id}/outputs.json instead of the record. */
export const OUTPUTS_IN_RECORD_BYTES = 256 * 1024;

export interface ExecuteRunDeps {
  engine: WorkflowEngine;
  store: RunStore;
  events: EventLog;
  /** The process's executing runs (default: the process-wide registry, shared by the API and the durable handler). */
  active?: ActiveRuns;
  /** How often the record is read for a cancel asked elsewhere; default 250 ms. */
  cancelPollMs?: number;
  /** How often step progress is written to the record; default 500 ms. */
  recordWriteMs?: number;
  /**
   * Wraps the engine's run (e.g. the service's `asWorkspace(record.workspace, run)`, so that s3
   * inputs may be the uploads of the run's workspace).
   */
  scope?: <T>(record: RunRecord, run: () => Promise<T>) => Promise<T>;
  now?: () => number;
}

/**
 * The engine's run options beyond those executeRun sets itself: `checkpoints` (restore and save
 * step outputs: S3StepCheckpoints) and `services` (the run's `humanInput`, for `wait_for_input`),
 * passed to the engine as they are.
 */
export type EngineRunHooks = Omit<RunOptions, "signal" | "deadlineMs" | "onEvent" | "excludedFields" | "enableProfiling" | "serialize">;

export interface ExecuteRunOptions {
  /** The run's record as the caller last knew it (created, or read by the durable handler). */
  record: RunRecord;
  /** The definition, or its compiled plan. */
  workflow: unknown;
  inputs: Readonly<Record<string, unknown>>;
  excludedFields?: readonly string[];
  enableProfiling?: boolean;
  /** `disable_sinks`: the blocks see `services.sinksDisabled` (every sink answers that it sent nothing). */
  disableSinks?: boolean;
  /** The run attempt this is (1 for the first; a retry's number). */
  attempt: number;
  /** Fires at the deadline or limit, or when the caller goes away (not a cancel: that is the record's). */
  signal?: AbortSignal;
  /**
   * true (default): this starts the attempt — status `running`, event `run_started`. false: a
   * later segment of an attempt that waited for input (the durable handler after an answer).
   */
  startsAttempt?: boolean;
  /**
   * Resolves once the record exists: its creation may overlap the run (sync runs). Resolving to
   * the ETag RunStore.create answered, the run's first write starts from `record` without reading it.
   */
  created?: Promise<unknown>;
  /** Appends the run's events; default a writer after `record.lastSequence`. */
  writer?: EventWriter;
  /** Sees each event once appended. */
  onEvent?: (event: RunEvent) => void;
  /**
   * Told as soon as the engine is done, before the final events and record are written: a caller
   * out of time (a sync request at its deadline) answers from here and lets the writes finish.
   * `record` is the final record as it will be written.
   */
  onSettled?: (settled: ExecutedRun) => void;
  hooks?: EngineRunHooks;
}

export type RunOutcome = Extract<RunStatus, "succeeded" | "failed" | "cancelled" | "timed_out" | "waiting">;

export interface ExecutedRun {
  outcome: RunOutcome;
  /** The record as finally written. */
  record: RunRecord;
  /** The engine's result (serialized outputs, profiler trace) when the run succeeded. */
  result?: RunResult;
  /** What the engine threw: a WorkflowError as the sync routes answer it, or the InputRequired of a run that waits (outcome `waiting`). */
  error?: unknown;
}

export async function executeRun(deps: ExecuteRunDeps, options: ExecuteRunOptions): Promise<ExecutedRun> {
  // Ended meanwhile (a cancel of a run not started yet, the reaper): nothing to run, nothing to append.
  if (isFinished(options.record.status)) return { outcome: options.record.status as RunOutcome, record: options.record };
  const active = deps.active ?? activeRuns;
  const writer = options.writer ?? deps.events.writer(options.record.id, options.record.lastSequence);

  const cancel = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
  const unregister = active.add(options.record.id, cancel);
  if (options.record.cancelRequestedAt !== undefined) cancel.abort();
  // The engine runs in the caller's context; everything else in none (detached.ts).
  const inCaller = AsyncLocalStorage.snapshot();
  try {
    return await detached(() => execute(deps, options, writer, cancel, signal, inCaller));
  } finally {
    unregister();
  }
}

async function execute(
  deps: ExecuteRunDeps,
  options: ExecuteRunOptions,
  writer: EventWriter,
  cancel: AbortController,
  signal: AbortSignal,
  inCaller: <R>(fn: () => R) => R,
): Promise<ExecutedRun> {
  const { store, engine } = deps;
  const now = deps.now ?? Date.now;
  const runId = options.record.id;
  const startsAttempt = options.startsAttempt ?? true;
  const created = options.created ?? Promise.resolve();
  const unwatch = watchCancel(store, runId, cancel, deps.cancelPollMs ?? CANCEL_POLL_MS);

  // What this run owns in the record; written onto the record as stored (others own the rest).
  const startedAt = new Date(now()).toISOString();
  const state = initialState(options.record, engine, options.workflow, options.attempt, startedAt, startsAttempt);
  // Events are appended in order once the record exists, overlapping the run.
  const appended: Promise<unknown>[] = [];
  const firstSequence = writer.lastSequence;
  const append = (data: RunEventData): void => {
    const event = created.then(() => writer.append(data));
    appended.push(event.then((e) => options.onEvent?.(e)));
  };
  // The final record is written beside the last events, naming the number the last one takes
  // when no other writer takes one meanwhile (otherwise a higher one: the record is never ahead of the log).
  let finalSequence: number | undefined;
  const lastSequence = (): number => finalSequence ?? writer.lastSequence;
  const writes = new CoalescedRecordWrites(store, runId, (stored) => applyState(stored, state, lastSequence()), created, deps.recordWriteMs ?? RECORD_WRITE_MS, options.created ? options.record : undefined);

  if (startsAttempt) append({ type: "run_started", attempt: options.attempt });
  writes.touch();

  // A step deaf to the signal may still finish after the run was stopped: the run's events end with run_finished.
  let over = false;
  // Called by the engine, in the caller's context: the writes it starts go on in none.
  const onEvent = (event: StepEvent): void =>
    detached(() => {
      if (over) return;
      stepChanged(state, event, options.attempt);
      append(stepEventData(event));
      writes.touch();
    });

  let result: RunResult | undefined;
  let error: unknown;
  try {
    const run = (): Promise<RunResult> =>
      engine.run(options.workflow, options.inputs, {
        ...options.hooks,
        ...(options.disableSinks ? { services: { ...options.hooks?.services, sinksDisabled: true } } : {}),
        signal,
        onEvent,
        excludedFields: options.excludedFields,
        enableProfiling: options.enableProfiling,
      });
    result = await inCaller(() => (deps.scope ? deps.scope(options.record, run) : run()));
  } catch (thrown) {
    error = thrown;
  } finally {
    over = true;
    unwatch();
  }

  const outcome = outcomeOf(result, error, cancel.signal.aborted);
  const finishedAt = now();
  if (outcome === "waiting") {
    state.status = "waiting";
    state.attempt.status = "waiting";
    for (const step of state.steps.values()) if (step.status === "running") step.status = "waiting";
  } else {
    state.status = outcome;
    state.finishedAt = new Date(finishedAt).toISOString();
    state.elapsedMs = finishedAt - Date.parse(state.startedAt);
    state.attempt.status = outcome;
    state.attempt.finishedAt = state.finishedAt;
    for (const step of state.steps.values()) if (step.status === "running") step.status = "cancelled";
    if (outcome !== "succeeded") state.error = runErrorOf(error, outcome);
  }

  options.onSettled?.({ outcome, record: applyState(options.record, state, writer.lastSequence), result, error });
  if (result) Object.assign(state, await placeOutputs(store, runId, result.outputs, created));
  if (outcome !== "waiting") append({ type: "run_finished", status: outcome, ...(state.error ? { error: state.error } : {}), elapsedMs: state.elapsedMs! });
  finalSequence = firstSequence + appended.length;
  const [, written] = await Promise.all([Promise.all(appended).then(() => writer.flush()), writes.flush()]);
  const record = written ?? applyState(options.record, state, lastSequence());
  return { outcome, record, result, error };
}

/** The fields of the record a run's execution owns. */
interface RunState {
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  elapsedMs?: number;
  totalSteps: number;
  steps: Map<string, StepRecord>;
  attempt: RunAttempt;
  outputs?: Record<string, unknown>[];
  outputsKey?: string;
  error?: RunError;
}

function initialState(record: RunRecord, engine: WorkflowEngine, workflow: unknown, attempt: number, startedAt: string, startsAttempt: boolean): RunState {
  const steps = new Map(record.steps.map((step) => [step.name, { ...step }]));
  // A record made without the plan (or for another version of it) gets a pending entry per step.
  let totalSteps = record.totalSteps;
  if (steps.size === 0) {
    const plan = planOf(engine, workflow);
    for (const step of plan?.steps ?? []) steps.set(step.name, { name: step.name, block: step.manifest.type, status: "pending", attempts: 0 });
    totalSteps = steps.size;
  }
  const known = record.attempts.find((a) => a.number === attempt);
  return {
    status: "running",
    startedAt: record.startedAt ?? startedAt,
    totalSteps,
    steps,
    attempt: known && !startsAttempt ? { ...known, status: "running" } : { number: attempt, startedAt, status: "running", reusedSteps: known?.reusedSteps ?? [] },
  };
}

function planOf(engine: WorkflowEngine, workflow: unknown): CompiledWorkflow | undefined {
  try {
    return isPlan(workflow) ? workflow : engine.compile(workflow);
  } catch {
    return undefined; // the run itself reports why it does not compile
  }
}

/** A plan the engine compiled (what the engine runs without compiling), as opposed to a definition. */
export function isPlan(value: unknown): value is CompiledWorkflow {
  return typeof value === "object" && value !== null && "stepsByName" in value && "hash" in value;
}

/** The run's own fields written onto the record as stored. */
function applyState(stored: RunRecord, state: RunState, lastSequence: number): RunRecord {
  const attempts = stored.attempts.filter((a) => a.number !== state.attempt.number);
  attempts.push({ ...state.attempt });
  attempts.sort((a, b) => a.number - b.number);
  const record: RunRecord = {
    ...stored,
    status: state.status,
    startedAt: state.startedAt,
    totalSteps: state.totalSteps,
    steps: [...state.steps.values()].map((step) => ({ ...step })),
    attempts,
    lastSequence: Math.max(stored.lastSequence, lastSequence),
  };
  if (state.finishedAt !== undefined) record.finishedAt = state.finishedAt;
  if (state.elapsedMs !== undefined) record.elapsedMs = state.elapsedMs;
  if (state.outputs !== undefined) record.outputs = state.outputs;
  if (state.outputsKey !== undefined) record.outputsKey = state.outputsKey;
  if (state.error !== undefined) record.error = state.error;
  else if (state.status === "succeeded") delete record.error;
  if (state.status !== "waiting") delete record.waitingFor;
  return record;
}

function stepChanged(state: RunState, event: StepEvent, attempt: number): void {
  const at = new Date(event.timestamp).toISOString();
  const step = state.steps.get(event.step) ?? { name: event.step, block: event.block, status: "pending", attempts: 0 };
  state.steps.set(event.step, step);
  if (event.type === "step_started") {
    Object.assign(step, { status: "running", attempts: step.attempts + 1, attempt, startedAt: at });
    delete step.finishedAt;
    delete step.durationMs;
    delete step.error;
    return;
  }
  if (event.type === "step_finished" && "reused" in event && event.reused) {
    // A checkpointed step: its record stays that of the attempt that ran it.
    if (step.status !== "succeeded" && step.status !== "skipped") Object.assign(step, { status: "succeeded", finishedAt: at, durationMs: event.durationMs, elements: event.elements, skipped: event.skipped });
    if (!state.attempt.reusedSteps.includes(event.step)) state.attempt.reusedSteps.push(event.step);
    return;
  }
  if (event.type === "step_finished") {
    const skippedAll = event.elements === 0 && event.skipped > 0;
    Object.assign(step, { status: skippedAll ? "skipped" : "succeeded", finishedAt: at, durationMs: round(event.durationMs), elements: event.elements, skipped: event.skipped });
    return;
  }
  Object.assign(step, { status: "failed", finishedAt: at, durationMs: round(event.durationMs), error: { code: event.error.code, message: event.error.message, details: event.error.details } });
}

function stepEventData(event: StepEvent): RunEventData {
  const base = { step: event.step, block: event.block };
  if (event.type === "step_started") return { type: "step_started", ...base };
  if (event.type === "step_finished") {
    const reused = "reused" in event && event.reused ? { reused: true } : {};
    return { type: "step_finished", ...base, durationMs: round(event.durationMs), elements: event.elements, skipped: event.skipped, ...reused };
  }
  return { type: "step_failed", ...base, durationMs: round(event.durationMs), error: { code: event.error.code, message: event.error.message, details: event.error.details } };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function outcomeOf(result: RunResult | undefined, error: unknown, cancelled: boolean): RunOutcome {
  if (result) return "succeeded";
  if (error instanceof InputRequired) return "waiting"; // a `wait_for_input` step without an answer: not a failure
  if (cancelled) return "cancelled";
  if (error instanceof WorkflowError && error.code === "deadline_exceeded") return "timed_out";
  if (error instanceof WorkflowError && error.code === "run_cancelled") return "cancelled";
  return "failed";
}

/** The record's error: code, message and details, never a stack or a machine's path. */
export function runErrorOf(error: unknown, outcome: RunOutcome): RunError {
  if (outcome === "cancelled") {
    const details = error instanceof WorkflowError && error.code === "run_cancelled" ? error.details : {};
    return { code: "run_cancelled", message: "The run was cancelled", details };
  }
  if (error instanceof WorkflowError) return { code: error.code, message: error.message, details: error.details };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal_error", message: `The run failed unexpectedly: ${withoutDirectories(message)}`, details: {} };
}

/** The outputs in the record, or in runs/{id}/outputs.json when they are large. */
async function placeOutputs(store: RunStore, runId: string, outputs: Record<string, unknown>[], created: Promise<unknown>): Promise<Pick<RunState, "outputs" | "outputsKey">> {
  const size = Buffer.byteLength(JSON.stringify(outputs));
  if (size <= OUTPUTS_IN_RECORD_BYTES) return { outputs };
  await created;
  const key = runKeys.outputs(runId);
  await store.objects.write(key, outputs);
  return { outputsKey: key };
}
