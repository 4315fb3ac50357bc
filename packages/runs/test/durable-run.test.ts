/**
 * The durable handler of async runs, executed by the durable-execution SDK's own local runner
 * (LocalDurableTestRunner, real time): its operations (segment steps, the callback wait, the
 * decision after it, the webhook step), the replay after the callback (the handler runs again
 * from the top; finished segments are not run again, finished workflow steps are restored from
 * their S3 checkpoints), and what it writes to the run's record and events — over a real local S3.
 */
import { LocalDurableTestRunner, WaitingOperationStatus, type DurableOperation } from "@aws/durable-execution-sdk-js-testing";
import { BlockRegistry, defineBlock, WorkflowEngine, type Block } from "@cvflow/engine";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { sortableId } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durableRunLambdaHandler, type DurableRunDeps } from "../src/durable-run.js";
import { durableSegment } from "../src/durable-segment.js";
import { EventLog } from "../src/event-log.js";
import type { RunRecord } from "../src/run-record.js";
import { RunStore } from "../src/run-store.js";
import { writeRunRequest } from "../src/stored-request.js";

/** Runs of each step, over every segment and replay: a restored step does not run again. */
const runsPerStep = new Map<string, number>();
const counted = defineBlock<{ value: unknown }>({
  manifest: {
    type: "test/counted@v1",
    name: "Counted",
    description: "Returns its value; counts its runs.",
    family: "formatters",
    fields: { value: { kinds: ["*"], required: true } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ value }, ctx) => {
    runsPerStep.set(`${ctx.step}`, (runsPerStep.get(ctx.step) ?? 0) + 1);
    return { output: value };
  },
});
const ask = defineBlock<{ data: unknown; timeout_seconds?: number }>({
  manifest: {
    type: "test/ask@v1",
    name: "Ask",
    description: "Asks a person about its data; its output is the answer.",
    family: "flow_control",
    fields: { data: { kinds: ["*"] }, timeout_seconds: { kinds: ["integer"] } },
    outputs: [{ name: "answer", kinds: ["*"] }],
  },
  run: async ({ data, timeout_seconds }, ctx) => {
    const request = { step: ctx.step, index: ctx.index, prompt: "Keep it?", schema: { type: "boolean" as const }, data, ...(timeout_seconds ? { timeoutSeconds: timeout_seconds } : {}) };
    return { answer: await ctx.services.humanInput!.requestInput(request) };
  },
});
const engine = new WorkflowEngine({ registry: new BlockRegistry([counted, ask] as Block[]) });

function review(confirm: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowParameter", name: "x" }],
    steps: [
      { type: "test/counted@v1", name: "a", value: "$inputs.x" },
      { type: "test/ask@v1", name: "confirm", data: "$steps.a.output", ...confirm },
      { type: "test/counted@v1", name: "c", value: "$steps.confirm.answer" },
    ],
    outputs: [{ type: "JsonField", name: "kept", selector: "$steps.c.output" }],
  };
}

let s3: LocalS3;
let store: RunStore;
let events: EventLog;

beforeAll(async () => {
  s3 = await startLocalS3();
  store = new RunStore(s3.client, s3.bucket);
  events = new EventLog(s3.client, s3.bucket, { pollMs: 20 });
  await LocalDurableTestRunner.setupTestEnvironment({ skipTime: false, checkpointDelay: 0 });
});

afterAll(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
  await s3?.close();
});

/** A queued async run of `definition` on {x: 7}, as RunsService.start leaves it. */
async function queuedRun(definition: unknown, extra: Partial<RunRecord> = {}): Promise<RunRecord> {
  const id = sortableId();
  const record: RunRecord = {
    id,
    taskId: sortableId(),
    workspace: "demo",
    mode: "async",
    workflow: { name: "inline" },
    startedBy: {},
    status: "queued",
    inputsSummary: { x: "7" },
    createdAt: new Date().toISOString(),
    totalSteps: 0,
    steps: [],
    attempts: [],
    limitMs: 60_000,
    deliveries: [],
    lastSequence: 0,
    ...extra,
  };
  await writeRunRequest(store, id, { workflow: definition, inputs: { x: 7 } });
  await store.create(record);
  return record;
}

/** The answer as RunsService.answer stores it (the callback is completed by the test, as a runner would). */
async function storeAnswer(runId: string, step: string, answer: unknown): Promise<void> {
  await store.update(runId, (record) => ({ ...record, answers: { ...record.answers, [step]: answer } }));
}

/** What the handler logged (a segment that failed for good). */
const logged: string[] = [];

interface Harness {
  runner: LocalDurableTestRunner;
  /** Segments run (the SDK replays the handler; a checkpointed segment is not run again). */
  segments: number[];
  deliveries: number[];
  /** Invocations of the handler that have returned (one ends when the execution waits; the next replays). */
  invocations: { ended: number };
}

function harness(options: { beforeSegment?: () => void; afterSegment?: (record: RunRecord) => Promise<void>; deliver?: (delivery: number) => Promise<void> } = {}): Harness {
  const segments: number[] = [];
  const deliveries: number[] = [];
  const segment = durableSegment({ engine, store, events });
  const deps: DurableRunDeps = {
    store,
    events,
    async segment(record, options_) {
      segments.push(options_.attempt);
      options.beforeSegment?.();
      const executed = await segment(record, options_);
      await options.afterSegment?.(executed.record);
      return executed;
    },
    async deliverWebhook(_record, delivery) {
      deliveries.push(delivery);
      await options.deliver?.(delivery);
    },
    webhookRetry: { maxAttempts: 2, initialDelay: { seconds: 1 }, maxDelay: { seconds: 1 } },
    segmentRetry: { maxAttempts: 2, initialDelay: { seconds: 1 }, maxDelay: { seconds: 1 } },
    log: (message) => logged.push(message),
  };
  const invocations = { ended: 0 };
  const lambda = durableRunLambdaHandler(deps);
  const counted: typeof lambda = async (event, context) => {
    const output = await lambda(event, context);
    invocations.ended++;
    return output;
  };
  return { runner: new LocalDurableTestRunner({ handlerFunction: counted }), segments, deliveries, invocations };
}

async function recordWhen(runId: string, ready: (record: RunRecord) => boolean): Promise<RunRecord> {
  for (;;) {
    const record = await store.get(runId);
    if (record && ready(record)) return record;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The wait-for-callback operation once the runner knows its callback (its view of the operations
 * follows the checkpoints a moment later than the handler, which may have stored the id already).
 */
async function callbackOperation(runner: LocalDurableTestRunner, name: string): Promise<DurableOperation> {
  const operation = await runner.getOperation(name).waitForData(WaitingOperationStatus.STARTED);
  for (;;) {
    try {
      if (operation.getCallbackDetails()) return operation;
    } catch {
      // The callback under it is not in the runner's view yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function eventTypes(runId: string): Promise<string[]> {
  return (await events.read(runId)).map((e) => (e.type.startsWith("step_") ? `${e.type} ${"step" in e ? e.step : ""}` : e.type));
}

function names(operations: DurableOperation[]): string[] {
  return operations.filter((op) => op.getParentId() === undefined).map((op) => `${op.getName()} ${op.getStatus()}`);
}

describe("the durable run handler", () => {
  it("runs up to the question, waits on a callback the record names, and after the answer replays to a second segment that restores the steps before it", async () => {
    runsPerStep.clear();
    const record = await queuedRun(review(), { notificationUrl: "https://example.com/hook" });
    const { runner, segments, deliveries, invocations } = harness();
    const execution = runner.run({ payload: { runId: record.id, attempt: 1 } });

    const waiting = await recordWhen(record.id, (r) => r.waitingFor?.callbackId !== undefined);
    expect(waiting.status).toBe("waiting");
    expect(waiting.waitingFor).toMatchObject({ step: "confirm", prompt: "Keep it?", schema: { type: "boolean" }, data: 7 });
    expect(await eventTypes(record.id)).toEqual(["run_started", "step_started a", "step_finished a", "step_started confirm", "input_required"]);
    const asked = (await events.read(record.id)).at(-1)!;
    expect(asked.type === "input_required" && asked.request).toEqual({ step: "confirm", prompt: "Keep it?", schema: { type: "boolean" }, data: 7, requestedAt: waiting.waitingFor!.requestedAt });
    expect((await recordWhen(record.id, (r) => r.lastSequence === asked.sequence)).status).toBe("waiting");

    // The invocation that asked has ended (nothing runs while the execution waits): the answer is taken by a replay.
    while (invocations.ended === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await storeAnswer(record.id, "confirm", true);
    const wait = await callbackOperation(runner, "input-confirm-0");
    expect(wait.getCallbackDetails()?.callbackId).toBe(waiting.waitingFor!.callbackId);
    await wait.sendCallbackSuccess(JSON.stringify(true));

    const result = await execution;
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ runId: record.id, status: "succeeded" });
    expect(names(result.getOperations())).toEqual([
      "segment-0 SUCCEEDED",
      "input-confirm-0 SUCCEEDED",
      "after-input-confirm-0 SUCCEEDED",
      "segment-1 SUCCEEDED",
      "notify SUCCEEDED",
    ]);
    expect(runner.getOperation("segment-0").getStepDetails()?.result).toMatchObject({ status: "waiting", request: { step: "confirm" } });
    expect(runner.getOperation("segment-1").getStepDetails()?.result).toEqual({ status: "succeeded" });
    // Two invocations, two segments: the replay after the callback took segment-0's checkpointed
    // result, not its code, and step a ran once: segment-1 restored it from S3.
    expect(invocations.ended).toBe(2);
    expect(result.getInvocations()).toHaveLength(2);
    expect(segments).toEqual([1, 1]);
    expect(Object.fromEntries(runsPerStep)).toEqual({ a: 1, c: 1 });

    const done = (await store.get(record.id))!;
    expect(done.status).toBe("succeeded");
    expect(done.outputs).toEqual([{ kept: true }]);
    expect(done.waitingFor).toBeUndefined();
    expect(done.attempts).toEqual([expect.objectContaining({ number: 1, status: "succeeded", reusedSteps: ["a"] })]);
    expect(await eventTypes(record.id)).toEqual([
      "run_started",
      "step_started a",
      "step_finished a",
      "step_started confirm",
      "input_required",
      "step_finished a",
      "step_started confirm",
      "step_finished confirm",
      "step_started c",
      "step_finished c",
      "run_finished",
    ]);
    expect(deliveries).toEqual([1]);
  });

  it("a new execution of a waiting run (a stack restarted) waits again for the same question: no step runs, nothing is asked anew", async () => {
    runsPerStep.clear();
    const record = await queuedRun(review());
    const before = harness();
    // It never ends: its stack is gone (the checkpoint server's teardown may end it with an error).
    before.runner.run({ payload: { runId: record.id, attempt: 1 } }).catch(() => {});
    const waiting = await recordWhen(record.id, (r) => r.waitingFor?.callbackId !== undefined && r.lastSequence === 5);

    // The first execution is gone with its stack; the next stack starts the run again.
    const after = harness();
    const execution = after.runner.run({ payload: { runId: record.id, attempt: 1 } });
    const again = await recordWhen(record.id, (r) => r.waitingFor?.callbackId !== waiting.waitingFor!.callbackId);
    expect(again.status).toBe("waiting");
    expect(again.waitingFor).toEqual({ ...waiting.waitingFor, callbackId: again.waitingFor!.callbackId });
    expect(again.lastSequence).toBe(waiting.lastSequence);
    expect(after.segments).toEqual([]);

    await storeAnswer(record.id, "confirm", true);
    await (await callbackOperation(after.runner, "input-confirm-0")).sendCallbackSuccess("true");
    const result = await execution;
    expect(result.getResult()).toEqual({ runId: record.id, status: "succeeded" });
    expect(after.segments).toEqual([1]);
    expect(Object.fromEntries(runsPerStep)).toEqual({ a: 1, c: 1 });
    expect((await eventTypes(record.id)).filter((t) => t === "input_required")).toEqual(["input_required"]);
  });

  it("a new execution of a run that was running (its process gone mid-segment) runs it on from its checkpoints, starting no new attempt", async () => {
    runsPerStep.clear();
    const record = await queuedRun(review());
    harness().runner.run({ payload: { runId: record.id, attempt: 1 } }).catch(() => {}); // its process is gone, as above
    const waiting = await recordWhen(record.id, (r) => r.waitingFor?.callbackId !== undefined && r.lastSequence === 5);
    // Answered, and its next segment was running when the process went: the record says running.
    await store.update(record.id, (r) => {
      const next: RunRecord = { ...r, status: "running", answers: { confirm: false } };
      delete next.waitingFor;
      return next;
    });

    const after = harness();
    const result = await after.runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getResult()).toEqual({ runId: record.id, status: "succeeded" });
    expect(after.segments).toEqual([1]);
    expect(Object.fromEntries(runsPerStep)).toEqual({ a: 1, c: 1 });
    const log = await eventTypes(record.id);
    expect(log.slice(waiting.lastSequence)).toEqual(["step_finished a", "step_started confirm", "step_finished confirm", "step_started c", "step_finished c", "run_finished"]);
    expect(log.filter((t) => t === "run_started")).toHaveLength(1);
    expect((await store.get(record.id))?.attempts).toEqual([expect.objectContaining({ number: 1, status: "succeeded", reusedSteps: ["a"] })]);
  });

  it("does not wait when the answer reached the record before the callback did (the next segment takes it)", async () => {
    runsPerStep.clear();
    const record = await queuedRun(review());
    // The answer lands between the segment that asked and the wait: no callback id to complete yet.
    const { runner, segments } = harness({ afterSegment: async (r) => (r.status === "waiting" ? storeAnswer(r.id, "confirm", false) : undefined) });
    const result = await runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(names(result.getOperations())).toEqual(["segment-0 SUCCEEDED", "input-confirm-0 FAILED", "after-input-confirm-0 SUCCEEDED", "segment-1 SUCCEEDED", "notify SUCCEEDED"]);
    expect(segments).toEqual([1, 1]);
    const done = (await store.get(record.id))!;
    expect(done.status).toBe("succeeded");
    expect(done.outputs).toEqual([{ kept: false }]);
    expect((await eventTypes(record.id)).filter((t) => t === "input_required")).toEqual([]);
  });

  it("fails the run input_timeout when the wait's timeout passes without an answer", async () => {
    const record = await queuedRun(review({ timeout_seconds: 1 }));
    const { runner } = harness();
    const result = await runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getResult()).toEqual({ runId: record.id, status: "failed" });
    expect(names(result.getOperations())).toEqual(["segment-0 SUCCEEDED", "input-confirm-0 FAILED", "after-input-confirm-0 SUCCEEDED", "notify SUCCEEDED"]);
    const done = (await store.get(record.id))!;
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "input_timeout", details: { step: "confirm" } });
    expect(done.steps.find((s) => s.name === "confirm")?.status).toBe("cancelled");
    expect(done.attempts).toEqual([expect.objectContaining({ number: 1, status: "failed" })]);
    const log = await events.read(record.id);
    const asked = log.find((e) => e.type === "input_required");
    expect(asked?.type === "input_required" && Date.parse(asked.request.expiresAt!) - Date.parse(asked.request.requestedAt)).toBe(1000);
    const last = log.at(-1)!;
    expect(last).toMatchObject({ type: "run_finished", status: "failed", error: { code: "input_timeout" } });
    expect(done.lastSequence).toBe(last.sequence);
  });

  it("ends a waiting run cancelled when its wait is failed after a cancel was asked (a local stop)", async () => {
    const record = await queuedRun(review());
    const { runner } = harness();
    const execution = runner.run({ payload: { runId: record.id, attempt: 1 } });
    await recordWhen(record.id, (r) => r.waitingFor?.callbackId !== undefined);
    await store.update(record.id, (r) => ({ ...r, cancelRequestedAt: new Date().toISOString() }));
    const wait = await callbackOperation(runner, "input-confirm-0");
    await wait.sendCallbackFailure({ ErrorType: "RunCancelled", ErrorMessage: "The run was cancelled" });
    const result = await execution;
    expect(result.getResult()).toEqual({ runId: record.id, status: "cancelled" });
    const done = (await store.get(record.id))!;
    expect(done).toMatchObject({ status: "cancelled", error: { code: "run_cancelled" } });
    expect(done.waitingFor).toBeUndefined();
    expect((await events.read(record.id)).at(-1)).toMatchObject({ type: "run_finished", status: "cancelled" });
  });

  it("tries the webhook again after a failed delivery, and a run that fails to notify still ends as it ended", async () => {
    const record = await queuedRun(review(), { notificationUrl: "https://example.com/hook" });
    await storeAnswer(record.id, "confirm", true);
    const { runner, deliveries } = harness({
      deliver: async (delivery) => {
        if (delivery === 1) throw new Error("connection refused");
      },
    });
    const result = await runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getResult()).toEqual({ runId: record.id, status: "succeeded" });
    expect(deliveries).toEqual([1, 2]);
    expect(runner.getOperation("notify").getStepDetails()?.attempt).toBe(2);
  });

  it("tries a segment that throws (the machinery, not the workflow) again", async () => {
    runsPerStep.clear();
    const record = await queuedRun(review());
    await storeAnswer(record.id, "confirm", true);
    let calls = 0;
    const { runner, segments } = harness({
      beforeSegment: () => {
        if (++calls === 1) throw new Error("S3 is unreachable");
      },
    });
    const result = await runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getResult()).toEqual({ runId: record.id, status: "succeeded" });
    expect(segments).toEqual([1, 1]);
    expect(runner.getOperation("segment-0").getStepDetails()?.attempt).toBe(2);
    expect((await store.get(record.id))?.outputs).toEqual([{ kept: true }]);
  });

  it("fails the run internal_error when its segment throws on every try, and ends the execution as the run ended", async () => {
    const record = await queuedRun(review());
    logged.length = 0;
    const { runner, segments } = harness({
      beforeSegment: () => {
        throw new Error("S3 is unreachable at /var/task/secret/path");
      },
    });
    const result = await runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ runId: record.id, status: "failed" });
    expect(segments).toEqual([1, 1]);
    const done = (await store.get(record.id))!;
    expect(done).toMatchObject({ status: "failed", error: { code: "internal_error" } });
    expect(done.error!.message).toContain("S3 is unreachable");
    expect(done.error!.message).not.toContain("/var/task");
    expect((await events.read(record.id)).at(-1)).toMatchObject({ type: "run_finished", status: "failed", error: { code: "internal_error" } });
    expect(logged).toEqual([`cvflow runs: a segment of run ${record.id} failed on every try`]);
  });

  it("runs nothing for a run that was cancelled before it started", async () => {
    const record = await queuedRun(review(), { status: "cancelled" });
    const { runner, segments, deliveries } = harness();
    const result = await runner.run({ payload: { runId: record.id, attempt: 1 } });
    expect(result.getResult()).toEqual({ runId: record.id, status: "cancelled" });
    expect(segments).toEqual([]);
    expect(deliveries).toEqual([]); // no notification URL
  });
});
