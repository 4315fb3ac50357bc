/**
 * The durable handler of async runs: one durable execution per run attempt (durable-runner.ts
 * names it), payload `{runId, attempt}`. It alternates
 *
 *   segment-N          a checkpointed step that runs the workflow (executeRun) until it finishes or
 *                      a `wait_for_input` step has no answer yet (the finished steps are checkpointed
 *                      in S3, so the next segment restores them instead of running them again);
 *                      tried again when it throws, and `failed-N` ends the run after the last try;
 *   input-<step>-N     a durable wait for a callback (nothing runs, nothing is billed on Lambda)
 *                      whose submitter puts the question and the callback id in the record (status
 *                      `waiting`, event `input_required`); Runs.answer stores the answer and
 *                      completes the callback;
 *   after-input-<step>-N   a step that reads the record: go on, cancelled, or `input_timeout`;
 *
 * and, once the run is over, `notify`: the webhook, retried with backoff by the durable engine.
 * Every decision that depends on the outside (the record) is taken inside a step, and the ctx
 * calls are made one after the other, so a replay walks the same path.
 */
import {
  CallbackTimeoutError,
  createRetryStrategy,
  withDurableExecution,
  type DurableContext,
  type DurableExecutionHandler,
  type DurableLambdaHandler,
  type RetryStrategyConfig,
} from "@aws/durable-execution-sdk-js";
import { InputRequired } from "@cvflow/engine";
import type { DurableRunPayload } from "./durable-runner.js";
import { inputTimeout } from "./errors.js";
import type { EventLog } from "./event-log.js";
import { runErrorOf, type ExecutedRun } from "./execute-run.js";
import { isFinished, type InputRequest, type RunError, type RunRecord, type RunStatus } from "./run-record.js";
import type { RunStore } from "./run-store.js";

export interface SegmentOptions {
  attempt: number;
  /** true for the attempt's first segment from a queued record: it starts the attempt (`run_started`). */
  startsAttempt: boolean;
  /** The run's limit for this segment (a cancel is executeRun's own). */
  signal: AbortSignal;
}

export interface DurableRunDeps {
  store: RunStore;
  events: EventLog;
  /** One segment of the run's attempt: executeRun over the run's stored request, with its step checkpoints and human input. */
  segment(record: RunRecord, options: SegmentOptions): Promise<ExecutedRun>;
  /** One delivery of the run's webhook (recorded in `record.deliveries`); throws to be tried again. */
  deliverWebhook?(record: RunRecord, delivery: number): Promise<void>;
  /** The deployment's longest segment (one Lambda invocation runs it): a segment runs at most this and the run's own limit. */
  maxSegmentMs?: number;
  /** How a segment that throws is tried again; default SEGMENT_RETRY. */
  segmentRetry?: RetryStrategyConfig;
  /** How the webhook is tried again; default WEBHOOK_RETRY. */
  webhookRetry?: RetryStrategyConfig;
  /** Where a failure the handler cannot put in the record goes; default console.error. */
  log?(message: string, error: unknown): void;
  now?(): number;
}

/** What the handler ends with (the execution's result). */
export interface DurableRunResult {
  runId: string;
  status: RunStatus | "missing";
}

/** A segment's checkpointed outcome: JSON, small (the outputs are in the record). */
type SegmentResult = { status: RunStatus | "missing" } | { status: "waiting"; request: InputRequest; timeoutSeconds?: number };

/** After a wait: run the next segment, or the run is over. */
type AfterWait = { next: "segment" } | { next: "end"; status: RunStatus | "missing" };

/** A segment that throws (not a workflow's failure: executeRun records those) is tried again, from its checkpointed steps. */
export const SEGMENT_RETRY: RetryStrategyConfig = { maxAttempts: 3, initialDelay: { seconds: 5 }, maxDelay: { seconds: 30 }, backoffRate: 2 };

/** The webhook's deliveries: up to 6 tries over about a minute and a half. */
export const WEBHOOK_RETRY: RetryStrategyConfig = { maxAttempts: 6, initialDelay: { seconds: 2 }, maxDelay: { seconds: 60 }, backoffRate: 2 };

export function createDurableRunHandler(deps: DurableRunDeps): DurableExecutionHandler<DurableRunPayload, DurableRunResult> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((message, error) => console.error(message, error));

  return async (payload: DurableRunPayload, ctx: DurableContext): Promise<DurableRunResult> => {
    const { runId, attempt } = payload;
    let status: RunStatus | "missing" = "missing";
    for (let n = 0; ; n++) {
      let segment: SegmentResult;
      try {
        segment = await ctx.step(`segment-${n}`, () => runSegment(deps, runId, attempt, n), { retryStrategy: createRetryStrategy(deps.segmentRetry ?? SEGMENT_RETRY) });
      } catch (error) {
        // executeRun records what the workflow does; what reaches here is the machinery failing
        // (S3 unreachable, the invocation lost) on every try: the run fails, not the execution.
        const failed = await ctx.step(`failed-${n}`, () => {
          log(`cvflow runs: a segment of run ${runId} failed on every try`, error);
          return failRun(deps, runId, attempt, error, now);
        });
        status = failed;
        break;
      }
      if (segment.status !== "waiting" || !("request" in segment)) {
        status = segment.status;
        break;
      }
      const { request } = segment;
      let waited: unknown;
      try {
        await ctx.waitForCallback(
          `input-${request.step}-${n}`,
          async (callbackId) => {
            // The answer came before there was a callback to complete: no wait (the thrown
            // marker ends it at once; the next step sees the answer and goes on).
            if (!(await markWaiting(deps, runId, request, segment.timeoutSeconds, callbackId, now))) throw new AnsweredBeforeWait(request.step);
          },
          { ...(segment.timeoutSeconds ? { timeout: { seconds: segment.timeoutSeconds } } : {}), retryStrategy: () => ({ shouldRetry: false }) },
        );
      } catch (error) {
        waited = error;
      }
      const timedOut = waited instanceof CallbackTimeoutError;
      const after = await ctx.step(`after-input-${request.step}-${n}`, () => afterWait(deps, runId, attempt, request, timedOut, segment.timeoutSeconds, now));
      if (after.next === "end") {
        status = after.status;
        break;
      }
    }
    if (status !== "missing" && deps.deliverWebhook) {
      const deliver = deps.deliverWebhook;
      try {
        await ctx.step(
          "notify",
          async (step) => {
            const record = await deps.store.get(runId);
            if (record?.notificationUrl) await deliver(record, step.attempt);
          },
          { retryStrategy: createRetryStrategy(deps.webhookRetry ?? WEBHOOK_RETRY) },
        );
      } catch (error) {
        // Every try failed; each is in record.deliveries. The run itself is over all the same.
        log(`cvflow runs: the webhook of run ${runId} was not delivered`, error);
      }
    }
    return { runId, status };
  };
}

/** The handler as Lambda invokes a durable function (and the SDK's local runner does): withDurableExecution's. */
export function durableRunLambdaHandler(deps: DurableRunDeps): DurableLambdaHandler {
  return withDurableExecution(createDurableRunHandler(deps));
}

/** The submitter's marker: the answer is in the record already. */
class AnsweredBeforeWait extends Error {
  constructor(step: string) {
    super(`Step "${step}" was answered before the run began to wait`);
    this.name = "AnsweredBeforeWait";
  }
}

async function runSegment(deps: DurableRunDeps, runId: string, attempt: number, n: number): Promise<SegmentResult> {
  const record = await deps.store.get(runId);
  if (!record) return { status: "missing" }; // purged meanwhile
  if (isFinished(record.status)) return { status: record.status }; // cancelled (or timed out by the reaper) before it ran
  // A new execution of a run that waits (the local stack took it up after a restart): it waits
  // again for the same question, without running the steps up to it or asking anew.
  const waitingFor = record.waitingFor;
  if (n === 0 && record.status === "waiting" && waitingFor && !hasAnswer(record, waitingFor.step)) {
    const { callbackId: _, ...request } = waitingFor;
    const left = request.expiresAt === undefined ? undefined : Math.max(1, Math.ceil((Date.parse(request.expiresAt) - Date.now()) / 1000));
    return { status: "waiting", request, ...(left === undefined ? {} : { timeoutSeconds: left }) };
  }
  const executed = await deps.segment(record, { attempt, startsAttempt: n === 0 && record.status === "queued", signal: AbortSignal.timeout(Math.min(record.limitMs, deps.maxSegmentMs ?? record.limitMs)) });
  if (executed.outcome !== "waiting") return { status: executed.outcome };
  if (!(executed.error instanceof InputRequired)) throw new Error(`run ${runId} waits without an InputRequired`);
  const asked = executed.error.request;
  const request: InputRequest = { step: asked.step, prompt: asked.prompt, schema: asked.schema as Record<string, unknown>, requestedAt: new Date().toISOString() };
  if (asked.data !== undefined) request.data = asked.data;
  return { status: "waiting", request, ...(asked.timeoutSeconds ? { timeoutSeconds: asked.timeoutSeconds } : {}) };
}

/**
 * Puts the question and its callback in the record (status `waiting`, `waitingFor`) and appends
 * `input_required`; false (and nothing written) when the step's answer is there already. The
 * record names the number the event takes (its segment is over: nothing else appends meanwhile),
 * so a reader who saw the event never reads a record behind it; a number taken by another writer
 * after all is set right once the event is in.
 */
async function markWaiting(deps: DurableRunDeps, runId: string, request: InputRequest, timeoutSeconds: number | undefined, callbackId: string, now: () => number): Promise<boolean> {
  const at = now();
  const asked: InputRequest = { ...request, requestedAt: new Date(at).toISOString(), ...(timeoutSeconds ? { expiresAt: new Date(at + timeoutSeconds * 1000).toISOString() } : {}) };
  let answered = false;
  let asking = false;
  const written = await deps.store.update(runId, (record) => {
    asking = false;
    answered = hasAnswer(record, request.step);
    if (answered || isFinished(record.status)) return undefined;
    // Waiting for this step already (a new execution of a waiting run): only the callback is new.
    if (record.status === "waiting" && record.waitingFor?.step === request.step) return { ...record, waitingFor: { ...record.waitingFor, callbackId } };
    asking = true;
    return { ...record, status: "waiting", waitingFor: { ...asked, callbackId }, lastSequence: record.lastSequence + 1 };
  });
  if (!written || !asking) return written !== undefined && !answered && !isFinished(written.status);
  const writer = deps.events.writer(runId, written.lastSequence - 1);
  // The event says what is asked; the callback id stays in the record.
  const event = await writer.append({ type: "input_required", request: asked });
  await deps.store.update(runId, (record) => (record.lastSequence >= event.sequence ? undefined : { ...record, lastSequence: event.sequence }));
  return true;
}

/** After the wait: the record says whether the run goes on, was cancelled, or waited too long. */
async function afterWait(deps: DurableRunDeps, runId: string, attempt: number, request: InputRequest, timedOut: boolean, timeoutSeconds: number | undefined, now: () => number): Promise<AfterWait> {
  const record = await deps.store.get(runId);
  if (!record) return { next: "end", status: "missing" };
  if (isFinished(record.status)) return { next: "end", status: record.status };
  if (record.cancelRequestedAt !== undefined) {
    await finishRun(deps, runId, attempt, "cancelled", { code: "run_cancelled", message: "The run was cancelled", details: {} }, now);
    return { next: "end", status: "cancelled" };
  }
  if (timedOut && !hasAnswer(record, request.step)) {
    const error = inputTimeout(request.step, (timeoutSeconds ?? 0) * 1000);
    await finishRun(deps, runId, attempt, "failed", { code: error.code, message: error.message, details: error.details }, now);
    return { next: "end", status: "failed" };
  }
  return { next: "segment" };
}

/** The run failed `internal_error` after its segment failed on every try; answers the run's status as it is then. */
async function failRun(deps: DurableRunDeps, runId: string, attempt: number, error: unknown, now: () => number): Promise<RunStatus | "missing"> {
  await finishRun(deps, runId, attempt, "failed", runErrorOf(error, "failed"), now);
  return (await deps.store.get(runId))?.status ?? "missing";
}

/** Ends a run no segment ends (it waits, or its segment failed for good): the record, then `run_finished`; nothing when it is finished already. */
async function finishRun(deps: DurableRunDeps, runId: string, attempt: number, status: "cancelled" | "failed", error: RunError, now: () => number): Promise<void> {
  const finishedAt = new Date(now()).toISOString();
  let elapsedMs = 0;
  let changed = false;
  const written = await deps.store.update(runId, (record) => {
    changed = false;
    if (isFinished(record.status)) return undefined;
    changed = true;
    elapsedMs = now() - Date.parse(record.startedAt ?? record.createdAt);
    const next: RunRecord = {
      ...record,
      status,
      error,
      finishedAt,
      elapsedMs,
      steps: record.steps.map((step) => (step.status === "waiting" || step.status === "running" ? { ...step, status: "cancelled" } : step)),
      attempts: record.attempts.map((a) => (a.number === attempt ? { ...a, status, finishedAt } : a)),
      // The number `run_finished` takes (as markWaiting does for `input_required`).
      lastSequence: record.lastSequence + 1,
    };
    delete next.waitingFor;
    return next;
  });
  if (!written || !changed) return;
  const writer = deps.events.writer(runId, written.lastSequence - 1);
  const event = await writer.append({ type: "run_finished", status, error, elapsedMs });
  await deps.store.update(runId, (record) => (record.lastSequence >= event.sequence ? undefined : { ...record, lastSequence: event.sequence }));
}

function hasAnswer(record: RunRecord, step: string): boolean {
  return record.answers !== undefined && Object.hasOwn(record.answers, step);
}
