/**
 * RunsService: the Runs the service's routes use, over the run store, the event log and a durable
 * runner. Async runs are started on the runner (the durable handler executes them, executeRun);
 * sync runs execute here, with a record and events as async ones have. Cancel, answer, retry,
 * purge, idempotency and the reaper of runs stuck past their limits live here too.
 */
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { canonicalHash, ENGINE_ERRORS, sha256, WorkflowError, type CompiledWorkflow, type RunResult, type WorkflowEngine } from "@cvflow/engine";
import { sortableId } from "@cvflow/store";
import { activeRuns, type ActiveRuns } from "./active-runs.js";
import { answerIssues } from "./answer-schema.js";
import { detached } from "./detached.js";
import { currentAttempt, executionName, type DurableRunner } from "./durable-runner.js";
import { idempotencyKeyReused, invalidAnswer, runNotRetryable, runNotWaiting, runsNotConfigured, runTimedOut } from "./errors.js";
import type { EventLog } from "./event-log.js";
import { executeRun, isPlan, type ExecuteRunDeps, type ExecutedRun } from "./execute-run.js";
import { summarizeInputs } from "./inputs-summary.js";
import { isRunId, runKeys } from "./layout.js";
import type { RunEvent, RunEventData } from "./run-events.js";
import { isFinished, type RunError, type RunRecord, type RunStatus } from "./run-record.js";
import type { RunFilter, RunPage, RunStore } from "./run-store.js";
import type { RunRequest, Runs } from "./runs.js";
import { readRunRequest, writeRunRequest, type StoredRunRequest } from "./stored-request.js";

/** An async run's limit unless the request asks for less (CVFLOW_RUN_LIMIT_MS). */
export const DEFAULT_RUN_LIMIT_MS = 15 * 60_000;
/** A sync run's limit as its record says (the request's deadline stops it). */
const SYNC_LIMIT_MS = 20_000;
/** How long past its limit an unfinished run is left to its worker before the reaper ends it. */
export const REAPER_GRACE_MS = 60_000;
/** How long `cancel` waits for a run executing elsewhere to stop before answering its record as it is. */
const CANCEL_WAIT_MS = 3_000;
const POLL_MS = 100;

export interface RunsServiceOptions {
  engine: WorkflowEngine;
  store: RunStore;
  events: EventLog;
  /** Starts async runs; without one, `start` and `retry` answer 501 `runs_not_configured`. */
  runner?: DurableRunner;
  /** An async run's default limit; default 15 min. */
  limitMs?: number;
  /** The longest limit a request may ask; default `limitMs`. */
  maxLimitMs?: number;
  /** Refuses a `notification_url` the deployment may not call (the image URL policy: allow-list, no private addresses). */
  checkNotificationUrl?: (url: string) => Promise<void>;
  /** The process's executing runs; default the process-wide registry. */
  active?: ActiveRuns;
  /** Passed to executeRun (sync runs): the run's scope, poll and write intervals. */
  execution?: Pick<ExecuteRunDeps, "scope" | "cancelPollMs" | "recordWriteMs">;
  now?: () => number;
}

/** What `runInProcess` is asked beside the request. */
export interface InProcessOptions {
  onEvent?: (event: RunEvent) => void;
  enableProfiling?: boolean;
}

export class RunsService implements Runs {
  readonly events: EventLog;
  readonly store: RunStore;
  readonly #engine: WorkflowEngine;
  readonly #runner: DurableRunner | undefined;
  readonly #limitMs: number;
  readonly #maxLimitMs: number;
  readonly #active: ActiveRuns;
  readonly #options: RunsServiceOptions;
  readonly #now: () => number;
  /** Sync runs answered whose last event and final record are still being written, by run id. */
  readonly #behind = new Map<string, Promise<void>>();

  constructor(options: RunsServiceOptions) {
    this.#options = options;
    this.events = options.events;
    this.store = options.store;
    this.#engine = options.engine;
    this.#runner = options.runner;
    this.#limitMs = options.limitMs ?? DEFAULT_RUN_LIMIT_MS;
    this.#maxLimitMs = Math.max(this.#limitMs, options.maxLimitMs ?? this.#limitMs);
    this.#active = options.active ?? activeRuns;
    this.#now = options.now ?? Date.now;
  }

  async start(request: RunRequest): Promise<RunRecord> {
    const runner = this.#runner;
    if (!runner) throw runsNotConfigured("Async runs are not configured on this deployment (no durable function: CVFLOW_RUNS_FUNCTION_ARN)");
    if (isPlan(request.workflow)) throw new Error("RunsService.start takes the workflow's definition, not a compiled plan: the durable handler reads it from S3");
    const plan = this.#engine.compile(request.workflow);
    if (request.notificationUrl !== undefined) await this.#options.checkNotificationUrl?.(request.notificationUrl);
    const limitMs = Math.min(request.limitMs ?? this.#limitMs, this.#maxLimitMs);
    const id = sortableId(this.#now());
    const earlier = await this.#claimIdempotency(request, plan, id, "async", limitMs);
    if (earlier) return earlier;

    const record = newRecord(request, id, "async", plan, limitMs, this.#now());
    record.lastSequence = 1; // run_queued, appended beside the record's creation
    await writeRunRequest(this.store, id, { workflow: request.workflow, inputs: { ...request.inputs }, ...(request.excludedFields ? { excludedFields: [...request.excludedFields] } : {}), ...(request.disableSinks ? { disableSinks: true } : {}) });
    await Promise.all([this.#create(record), this.events.writer(id).append({ type: "run_queued" })]);
    try {
      await runner.start(executionName(id, 1), { runId: id, attempt: 1 });
    } catch (error) {
      await this.#finish(id, "failed", { code: "internal_error", message: "The run could not be started", details: {} });
      throw error;
    }
    return record;
  }

  async runSync(request: RunRequest, signal: AbortSignal, onEvent?: (event: RunEvent) => void): Promise<RunRecord> {
    return (await (await this.#inProcess(request, signal, { onEvent })).written).record;
  }

  /**
   * A sync run in this process: its record is created while the run starts, its events appended
   * as it goes, the final record written just after this resolves. Answers the engine's result or
   * error too (`error`: what the engine threw, as the sync routes answer it). A definition that
   * does not compile throws before any record is made.
   */
  async runInProcess(request: RunRequest, signal: AbortSignal, options: InProcessOptions = {}): Promise<ExecutedRun> {
    return (await this.#inProcess(request, signal, options)).answered;
  }

  /** A sync run: `answered` when the engine is done, `written` once its final record and events are too. */
  async #inProcess(request: RunRequest, signal: AbortSignal, options: InProcessOptions): Promise<{ answered: Promise<ExecutedRun>; written: Promise<ExecutedRun> }> {
    const plan = isPlan(request.workflow) ? request.workflow : this.#engine.compile(request.workflow);
    const limitMs = request.limitMs ?? SYNC_LIMIT_MS;
    const id = sortableId(this.#now());
    const earlier = await this.#claimIdempotency(request, plan, id, "sync", limitMs);
    if (earlier) {
      const replayed = this.#replay(earlier, signal);
      return { answered: replayed, written: replayed };
    }

    const record = newRecord(request, id, "sync", plan, limitMs, this.#now());
    record.status = "running";
    record.startedAt = record.createdAt;
    // No reaper entry: a sync run whose process died is ended when it is next read (get, list), which costs nothing per run.
    const created = detached(() => this.store.create(record));
    // The run does not wait for its record: a failed creation fails the run's event writes, and executeRun with them.
    created.catch(() => {});
    const settled = Promise.withResolvers<ExecutedRun>();
    const executed = executeRun(
      { engine: this.#engine, store: this.store, events: this.events, active: this.#active, now: this.#now, ...this.#options.execution },
      {
        record,
        workflow: plan,
        inputs: request.inputs,
        excludedFields: request.excludedFields,
        disableSinks: request.disableSinks,
        enableProfiling: options.enableProfiling,
        attempt: 1,
        signal,
        created,
        onEvent: options.onEvent,
        onSettled: settled.resolve,
      },
    );
    // The run answers as soon as the engine is done; its last event and final record are written
    // behind it (the HTTP adapters `drain` before their invocation ends, `get` waits for them).
    let written = false;
    void settled.promise.then(() => {
      if (!written) this.#behind.set(id, executed.then(noop, noop));
    });
    void executed.finally(() => {
      written = true;
      this.#behind.delete(id);
    }).catch(noop);
    return { answered: Promise.race([executed, settled.promise]), written: executed };
  }

  /** Waits until every sync run of this process has written its final record and events. */
  async drain(): Promise<void> {
    await Promise.all(this.#behind.values());
  }

  async get(id: string): Promise<RunRecord | undefined> {
    await this.#behind.get(id);
    const record = await this.store.get(id);
    return record && (await this.#endIfAbandoned(record));
  }

  request(id: string): Promise<StoredRunRequest | undefined> {
    return readRunRequest(this.store, id);
  }

  async outputs(record: RunRecord): Promise<Record<string, unknown>[] | undefined> {
    if (record.outputs) return record.outputs;
    if (!record.outputsKey) return undefined;
    return (await this.store.objects.read<Record<string, unknown>[]>(record.outputsKey))?.value;
  }

  async list(filter: RunFilter, limit: number, cursor?: string): Promise<RunPage> {
    const page = await this.store.list(filter, limit, cursor);
    return { ...page, runs: await Promise.all(page.runs.map((r) => this.#endIfAbandoned(r))) };
  }

  async cancel(id: string): Promise<RunRecord | undefined> {
    const at = new Date(this.#now()).toISOString();
    const asked = await this.store.update(id, (r) => (isFinished(r.status) || r.cancelRequestedAt ? undefined : { ...r, cancelRequestedAt: at }));
    if (!asked || isFinished(asked.status)) return asked;
    const here = this.#active.cancel(id);
    if (here) {
      await here;
      return this.store.get(id);
    }
    if (asked.status === "queued" || asked.status === "waiting") {
      // No step runs: nothing will notice the request but the execution that waits, which is stopped.
      const finished = await this.#finish(id, "cancelled", { code: "run_cancelled", message: "The run was cancelled", details: {} }, ["queued", "waiting"]);
      if (finished) {
        await this.#runner?.stop(executionName(id, currentAttempt(asked))).catch(() => {});
        return finished;
      }
    }
    // Running in another process: its cancel watcher stops it within a poll of the record.
    return this.#awaitFinished(id, CANCEL_WAIT_MS);
  }

  async answer(id: string, answer: unknown): Promise<RunRecord | undefined> {
    const record = await this.store.get(id);
    if (!record) return undefined;
    const request = record.waitingFor;
    if (record.status !== "waiting" || !request) throw runNotWaiting(id, record.status);
    const issues = answerIssues(request.schema, answer);
    if (issues.length > 0) throw invalidAnswer(request.step, issues);
    // Exactly one answer per wait: the update takes it only while the run still waits on that step.
    let taken = false;
    // The callback of the record the answer is written on: a new execution of the run (a stack
    // restarted) may have replaced the one first read; it sees the answer, or this sends it.
    let callbackId: string | undefined;
    const updated = await this.store.update(id, (r) => {
      if (r.status !== "waiting" || r.waitingFor?.step !== request.step) return undefined;
      taken = true;
      callbackId = r.waitingFor.callbackId;
      const next: RunRecord = { ...r, status: "running", answers: { ...r.answers, [request.step]: answer } };
      delete next.waitingFor;
      return next;
    });
    if (!updated) return undefined;
    if (!taken) throw runNotWaiting(id, updated.status);
    await this.events.writer(id, updated.lastSequence).append({ type: "input_received", step: request.step, answer });
    if (callbackId !== undefined) await this.#requireRunner().sendCallback(callbackId, answer);
    return updated;
  }

  async retry(id: string): Promise<RunRecord | undefined> {
    const runner = this.#requireRunner();
    const record = await this.store.get(id);
    if (!record) return undefined;
    if (!RETRYABLE.has(record.status)) throw runNotRetryable(id, record.status);
    if (record.mode === "sync") throw runNotRetryable(id, `a sync run (${record.status}); start it as an async run to retry it`);
    const attempt = currentAttempt(record) + 1;
    let taken = false;
    const updated = await this.store.update(id, (r) => {
      if (!RETRYABLE.has(r.status)) return undefined;
      taken = true;
      const next: RunRecord = { ...r, status: "queued" };
      for (const field of ["error", "finishedAt", "elapsedMs", "cancelRequestedAt", "waitingFor", "outputs", "outputsKey"] as const) delete next[field];
      return next;
    });
    if (!updated) return undefined;
    if (!taken) throw runNotRetryable(id, updated.status);
    await Promise.all([
      this.events.writer(id, updated.lastSequence).append({ type: "run_queued" }),
      this.#markActive(id),
    ]);
    await runner.start(executionName(id, attempt), { runId: id, attempt });
    return updated;
  }

  async purge(id: string): Promise<boolean> {
    await this.#behind.get(id);
    let record = await this.store.get(id);
    if (!record) return false;
    if (!isFinished(record.status)) record = (await this.cancel(id)) ?? record;
    await this.store.purge(record);
    await this.#forgetActive(id);
    if (record.idempotencyKey) await this.store.objects.delete(runKeys.idempotency(record.workspace, record.idempotencyKey)).catch(() => {});
    return true;
  }

  /**
   * Ends the runs no worker will end: queued or running past their attempt's start + limit +
   * grace (`timed_out`, `run_timed_out`), and waiting past their input's expiry (`timed_out`,
   * `input_timeout` is the durable wait's own; this is the backstop). Locally on an interval;
   * on Lambda at each API cold start. Answers the runs it ended.
   */
  async reapStuckRuns(now = this.#now(), graceMs = REAPER_GRACE_MS): Promise<RunRecord[]> {
    const reaped: RunRecord[] = [];
    let token: string | undefined;
    do {
      const page = await this.store.client.send(new ListObjectsV2Command({ Bucket: this.store.bucket, Prefix: runKeys.active(), ContinuationToken: token }));
      token = page.NextContinuationToken;
      for (const key of (page.Contents ?? []).map((o) => o.Key!)) {
        const id = key.slice(runKeys.active().length);
        if (!isRunId(id)) continue;
        const record = await this.store.get(id);
        if (!record || isFinished(record.status)) {
          await this.#forgetActive(id);
          continue;
        }
        if (!isStuck(record, now, graceMs)) continue;
        const attempt = currentAttempt(record);
        const ended = await this.#finish(id, "timed_out", runErrorJson(runTimedOut(record.limitMs)), ["queued", "running", "waiting"], (r) => isStuck(r, now, graceMs));
        if (!ended) continue;
        this.#active.cancel(id);
        await this.#runner?.stop(executionName(id, attempt)).catch(() => {});
        reaped.push(ended);
      }
    } while (token);
    return reaped;
  }

  /** A sync run unfinished past its limit and grace: its process is gone (the request's own deadline would have ended it). */
  async #endIfAbandoned(record: RunRecord): Promise<RunRecord> {
    if (record.mode !== "sync" || isFinished(record.status) || !isStuck(record, this.#now(), REAPER_GRACE_MS)) return record;
    const ended = await this.#finish(record.id, "timed_out", runErrorJson(runTimedOut(record.limitMs)), ["queued", "running", "waiting"]);
    return ended ?? (await this.store.get(record.id)) ?? record;
  }

  #requireRunner(): DurableRunner {
    if (!this.#runner) throw runsNotConfigured("Async runs are not configured on this deployment (no durable function: CVFLOW_RUNS_FUNCTION_ARN)");
    return this.#runner;
  }

  /** Creates the record and the reaper's entry of the run; answers the record's ETag. */
  async #create(record: RunRecord): Promise<string> {
    const [etag] = await Promise.all([this.store.create(record), this.#markActive(record.id)]);
    return etag;
  }

  /** The reaper's entry of an async run not finished (an empty object: the key is all). */
  async #markActive(id: string): Promise<void> {
    await this.store.client.send(new PutObjectCommand({ Bucket: this.store.bucket, Key: runKeys.activeEntry(id), Body: "", ContentLength: 0 }));
  }

  /** Drops the run's reaper entry; a failure leaves it for the reaper, which drops entries of finished runs. */
  async #forgetActive(id: string): Promise<void> {
    await this.store.client.send(new DeleteObjectCommand({ Bucket: this.store.bucket, Key: runKeys.activeEntry(id) })).catch(() => {});
  }

  /**
   * Ends a run that no execution will end (not started, waiting, or stuck) as `status`, with its
   * `run_finished` event; only while its status is one of `from` (and `also` holds). Undefined
   * when another writer ended it first.
   */
  async #finish(id: string, status: Extract<RunStatus, "failed" | "cancelled" | "timed_out">, error: RunError, from: RunStatus[] = ["queued"], also: (r: RunRecord) => boolean = () => true): Promise<RunRecord | undefined> {
    const at = this.#now();
    let ended = false;
    const record = await this.store.update(id, (r) => {
      ended = false;
      if (!from.includes(r.status) || !also(r)) return undefined;
      ended = true;
      const attempts = r.attempts.map((a) => (isFinished(a.status) ? a : { ...a, status, finishedAt: new Date(at).toISOString() }));
      const steps = r.steps.map((s) => (s.status === "running" || s.status === "waiting" ? { ...s, status: "cancelled" as const } : s));
      const next: RunRecord = { ...r, status, error, attempts, steps, finishedAt: new Date(at).toISOString(), elapsedMs: at - Date.parse(r.startedAt ?? r.createdAt) };
      delete next.waitingFor;
      return next;
    });
    if (!record || !ended) return undefined;
    const event: RunEventData = { type: "run_finished", status, error, elapsedMs: record.elapsedMs! };
    const written = await this.events.writer(id, record.lastSequence).append(event);
    await this.#forgetActive(id);
    return (await this.store.update(id, (r) => (r.lastSequence >= written.sequence ? undefined : { ...r, lastSequence: written.sequence }))) ?? record;
  }

  async #awaitFinished(id: string, timeoutMs: number): Promise<RunRecord | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.store.get(id);
      if (!record || isFinished(record.status) || Date.now() >= until) return record;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * With an Idempotency-Key: claims it for `id`, or answers the run an earlier identical request
   * made (422 when the earlier request differs). The key is kept hashed.
   */
  async #claimIdempotency(request: RunRequest, plan: CompiledWorkflow, id: string, mode: RunRecord["mode"], limitMs: number): Promise<RunRecord | undefined> {
    if (request.idempotencyKey === undefined) return undefined;
    const keyHash = sha256(request.idempotencyKey);
    const bodyHash = canonicalHash({
      mode,
      workflow: plan.hash,
      reference: request.reference,
      inputs: request.inputs,
      excludedFields: request.excludedFields ?? [],
      // Only when asked, so that the keys of requests without it hash as before.
      ...(request.disableSinks ? { disableSinks: true } : {}),
      notificationUrl: request.notificationUrl ?? null,
      limitMs,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const earlier = await this.store.claimIdempotency(request.workspace, keyHash, { runId: id, bodyHash });
      if (!earlier) return undefined;
      if (earlier.bodyHash !== bodyHash) throw idempotencyKeyReused(earlier.runId);
      // The earlier request claimed the key first and creates its record meanwhile.
      const record = await this.#awaitRecord(earlier.runId);
      if (record) return record;
      // Its run was purged (or never made): the key is free again.
      await this.store.objects.delete(runKeys.idempotency(request.workspace, keyHash)).catch(() => {});
    }
    return undefined;
  }

  async #awaitRecord(id: string): Promise<RunRecord | undefined> {
    for (let i = 0; i < 20; i++) {
      const record = await this.store.get(id);
      if (record) return record;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS / 2));
    }
    return undefined;
  }

  /** A sync request repeated with its Idempotency-Key: the earlier run's answer, once it has one. */
  async #replay(earlier: RunRecord, signal: AbortSignal): Promise<ExecutedRun> {
    let record = earlier;
    if (!isFinished(record.status)) {
      for await (const _ of this.events.follow(record.id, record.lastSequence, { signal })) void _;
      record = (await this.store.get(record.id)) ?? record;
    }
    if (record.status === "succeeded") return { outcome: "succeeded", record, result: { outputs: (await this.outputs(record)) ?? [] } satisfies RunResult };
    const error = record.error ?? { code: "internal_error", message: `The run is ${record.status}` };
    const status = (ENGINE_ERRORS as Record<string, number>)[error.code] ?? 500;
    return { outcome: isFinished(record.status) ? (record.status as ExecutedRun["outcome"]) : "failed", record, error: new WorkflowError(error.code, error.message, status, error.details ?? {}) };
  }
}

const RETRYABLE: ReadonlySet<RunStatus> = new Set(["failed", "cancelled", "timed_out"]);

function newRecord(request: RunRequest, id: string, mode: RunRecord["mode"], plan: CompiledWorkflow, limitMs: number, now: number): RunRecord {
  const record: RunRecord = {
    id,
    taskId: sortableId(now),
    workspace: request.workspace,
    mode,
    workflow: request.reference,
    startedBy: request.startedBy,
    status: "queued",
    inputsSummary: summarizeInputs(request.inputs),
    createdAt: new Date(now).toISOString(),
    totalSteps: plan.steps.length,
    steps: plan.steps.map((step) => ({ name: step.name, block: step.manifest.type, status: "pending", attempts: 0 })),
    attempts: [],
    limitMs,
    deliveries: [],
    lastSequence: 0,
  };
  if (request.idempotencyKey !== undefined) record.idempotencyKey = sha256(request.idempotencyKey);
  if (request.notificationUrl !== undefined) record.notificationUrl = request.notificationUrl;
  return record;
}

function isStuck(record: RunRecord, now: number, graceMs: number): boolean {
  if (record.status === "waiting") {
    const expires = record.waitingFor?.expiresAt;
    return expires !== undefined && Date.parse(expires) + graceMs < now;
  }
  const attempt = record.attempts.at(-1);
  const since = Date.parse(attempt?.startedAt ?? record.createdAt);
  return since + record.limitMs + graceMs < now;
}

function runErrorJson(error: WorkflowError): RunError {
  return { code: error.code, message: error.message, details: error.details };
}

function noop(): void {}
