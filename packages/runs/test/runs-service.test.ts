/** RunsService over a local S3 server and the real engine: sync runs with their record and events, cancel, idempotency, async start, answers, retry, the reaper. */
import { WorkflowError } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { runKeys } from "../src/layout.js";
import type { RunEvent } from "../src/run-events.js";
import type { RunRecord } from "../src/run-record.js";
import { sortableId } from "@cvflow/store";
import { readRunRequest } from "../src/stored-request.js";
import { ECHO_WORKFLOW, overrunWorkflow, request, useRuns } from "./runs-fixture.js";

const f = useRuns();
const never = new AbortController().signal;

describe("sync runs", () => {
  it("record the run: status, outputs, each step, and its events in order", async () => {
    const seen: RunEvent[] = [];
    const executed = await f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 7 }), never, { onEvent: (e) => seen.push(e) });
    expect(executed.outcome).toBe("succeeded");
    expect(executed.result?.outputs).toEqual([{ x: 7 }]);
    const record = (await f.runs.get(executed.record.id))!;
    expect(record).toMatchObject({ status: "succeeded", mode: "sync", outputs: [{ x: 7 }], totalSteps: 1, inputsSummary: { x: "7" }, workspace: "acme" });
    expect(record.steps).toEqual([expect.objectContaining({ name: "copy", status: "succeeded", attempts: 1, attempt: 1, elements: 1, skipped: 0 })]);
    expect(record.attempts).toEqual([expect.objectContaining({ number: 1, status: "succeeded", reusedSteps: [] })]);
    expect(Date.parse(record.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt!));
    expect(record.elapsedMs).toBe(Date.parse(record.finishedAt!) - Date.parse(record.startedAt!));

    const events = await f.events.read(record.id);
    expect(events.map((e) => e.type)).toEqual(["run_started", "step_started", "step_finished", "run_finished"]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "succeeded", elapsedMs: record.elapsedMs });
    expect(record.lastSequence).toBe(4);
    expect(seen).toEqual(events);
    // A sync run costs no reaper entry.
    expect(await f.store.objects.keys(runKeys.activeEntry(record.id))).toEqual([]);
  });

  it("answers when the engine is done; drain waits for the final records and events that are written behind", async () => {
    const answered = await Promise.all([1, 2].map((x) => f.runs.runInProcess(request(ECHO_WORKFLOW, { x }), never)));
    expect(answered.map((a) => [a.outcome, a.record.status])).toEqual([
      ["succeeded", "succeeded"],
      ["succeeded", "succeeded"],
    ]);
    await f.runs.drain();
    for (const { record } of answered) {
      expect((await f.store.get(record.id))?.status).toBe("succeeded");
      expect((await f.events.read(record.id)).at(-1)).toMatchObject({ type: "run_finished", status: "succeeded" });
    }
  });

  it("a failed run keeps its error (code, message, details; no stack) and answers the engine's error", async () => {
    const executed = await f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 1 }, {}), AbortSignal.abort(), {});
    expect(executed.outcome).toBe("cancelled");
    expect(executed.error).toBeInstanceOf(WorkflowError);
    // A run its signal stopped answers before its final record is written.
    await expect.poll(async () => (await f.runs.get(executed.record.id))?.status).toBe("cancelled");
    const record = (await f.runs.get(executed.record.id))!;
    expect(record.status).toBe("cancelled");
    expect(record.error).toMatchObject({ code: "run_cancelled" });
    expect(JSON.stringify(record.error)).not.toMatch(/ at |\/work\//);
  });

  it("a run past its deadline is timed_out, the step that was running cancelled", async () => {
    const executed = await f.runs.runInProcess(request(overrunWorkflow(2000)), AbortSignal.timeout(300));
    expect(executed.outcome).toBe("timed_out");
    expect((executed.error as WorkflowError).code).toBe("deadline_exceeded");
    expect(executed.record.status).toBe("timed_out");
    await expect.poll(async () => (await f.runs.get(executed.record.id))?.status).toBe("timed_out");
    const record = (await f.runs.get(executed.record.id))!;
    expect(record.status).toBe("timed_out");
    expect(record.steps.map((s) => [s.name, s.status])).toEqual([
      ["quick", "succeeded"],
      ["slow", "cancelled"],
    ]);
    const events = await f.events.read(record.id);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "timed_out", error: { code: "deadline_exceeded" } });
  });

  it("outputs over 256 KB go to runs/{id}/outputs.json, which the record names", async () => {
    const big = "x".repeat(300 * 1024);
    const record = await f.runs.runSync(request(ECHO_WORKFLOW, { x: big }), never);
    expect(record.outputs).toBeUndefined();
    expect(record.outputsKey).toBe(runKeys.outputs(record.id));
    expect(await f.runs.outputs((await f.runs.get(record.id))!)).toEqual([{ x: big }]);
    expect(record.inputsSummary["x"]!.length).toBeLessThanOrEqual(120);
  });

  it("a definition that does not compile throws before any record is made", async () => {
    await expect(f.runs.runInProcess(request({ version: "1.0", inputs: [], steps: [{ type: "nope", name: "a" }], outputs: [] }), never)).rejects.toMatchObject({ code: "invalid_workflow" });
  });
});

describe("cancel", () => {
  /** Starts a slow sync run; resolves once its slow step runs. */
  async function slowRun(): Promise<{ id: string; done: Promise<{ record: RunRecord; at: number }> }> {
    let id = "";
    const running = Promise.withResolvers<void>();
    const done = f.runs
      .runInProcess(request(overrunWorkflow(10_000)), never, {
        onEvent: (e) => {
          id = e.runId;
          if (e.type === "step_started" && e.step === "slow") running.resolve();
        },
      })
      .then((executed) => ({ record: executed.record, at: performance.now() }));
    await running.promise;
    return { id, done };
  }

  it("stops a run executing in this process at once, its record and events saying cancelled", async () => {
    const { id, done } = await slowRun();
    const t0 = performance.now();
    const answered = await f.runs.cancel(id);
    const { record, at } = await done;
    expect(at - t0).toBeLessThan(1000);
    expect(answered).toMatchObject({ status: "cancelled", error: { code: "run_cancelled" } });
    expect(answered!.cancelRequestedAt).toBeDefined();
    expect(record.status).toBe("cancelled");
    expect(record.steps.find((s) => s.name === "slow")?.status).toBe("cancelled");
    const events = await f.events.read(id);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "cancelled" });
    expect(events.filter((e) => e.type === "run_finished")).toHaveLength(1);
  });

  it("stops within a second a run executing in another process (its watcher polls the record)", async () => {
    const { id, done } = await slowRun();
    const t0 = performance.now();
    const answered = await f.elsewhere().cancel(id);
    const { record, at } = await done;
    expect(at - t0).toBeLessThan(1000);
    expect(record.status).toBe("cancelled");
    expect(answered?.status).toBe("cancelled");
  });

  it("leaves a finished run as it is", async () => {
    const { record } = await f.runs.runInProcess(request(ECHO_WORKFLOW), never);
    const after = await f.runs.cancel(record.id);
    expect(after).toMatchObject({ status: "succeeded" });
    expect(after!.cancelRequestedAt).toBeUndefined();
  });

  it("an unknown run: undefined", async () => {
    expect(await f.runs.cancel("0000000000000000000000000")).toBeUndefined();
  });
});

describe("Idempotency-Key", () => {
  it("the same key and request give the same run; another request with the key is 422", async () => {
    const first = await f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 2 }, { idempotencyKey: "key-1" }), never);
    const again = await f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 2 }, { idempotencyKey: "key-1" }), never);
    expect(again.record.id).toBe(first.record.id);
    expect(again.result?.outputs).toEqual([{ x: 2 }]);
    await expect(f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 3 }, { idempotencyKey: "key-1" }), never)).rejects.toMatchObject({ code: "idempotency_key_reused", status: 422 });
    // The key is kept hashed.
    expect(first.record.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("two async starts with one key at the same time: one run", async () => {
    const [a, b] = await Promise.all([f.runs.start(request(ECHO_WORKFLOW, { x: 4 }, { idempotencyKey: "key-2" })), f.runs.start(request(ECHO_WORKFLOW, { x: 4 }, { idempotencyKey: "key-2" }))]);
    expect(a.id).toBe(b.id);
    expect(f.runner.started.filter(([, p]) => p.runId === a.id)).toHaveLength(1);
  });
});

describe("async runs", () => {
  it("start: a queued record, run_queued, the request kept for the handler, the execution started", async () => {
    const record = await f.runs.start(request(ECHO_WORKFLOW, { x: 5 }, { notificationUrl: "https://example.com/hook" }));
    expect(record).toMatchObject({ status: "queued", mode: "async", limitMs: 15 * 60_000, lastSequence: 1, notificationUrl: "https://example.com/hook" });
    expect(await f.runs.get(record.id)).toEqual(record);
    expect((await f.events.read(record.id)).map((e) => e.type)).toEqual(["run_queued"]);
    expect(await readRunRequest(f.store, record.id)).toEqual({ workflow: ECHO_WORKFLOW, inputs: { x: 5 } });
    expect(f.runner.started).toContainEqual([record.id, { runId: record.id, attempt: 1 }]);
  });

  it("cancel of a queued run ends it at once and stops its execution", async () => {
    const record = await f.runs.start(request(ECHO_WORKFLOW));
    const cancelled = await f.runs.cancel(record.id);
    expect(cancelled).toMatchObject({ status: "cancelled", lastSequence: 2 });
    expect(f.runner.stopped).toContain(record.id);
    expect((await f.events.read(record.id)).map((e) => e.type)).toEqual(["run_queued", "run_finished"]);
  });

  it("retry: a new attempt of a cancelled run, started as execution `${id}-a2`", async () => {
    const record = await f.runs.start(request(ECHO_WORKFLOW));
    await f.runs.cancel(record.id);
    // What the handler would record of its first attempt.
    await f.store.update(record.id, (r) => ({ ...r, attempts: [{ number: 1, startedAt: r.createdAt, status: "cancelled", reusedSteps: [] }] }));
    const retried = await f.runs.retry(record.id);
    expect(retried).toMatchObject({ status: "queued" });
    expect(retried!.error).toBeUndefined();
    expect(f.runner.started).toContainEqual([`${record.id}-a2`, { runId: record.id, attempt: 2 }]);
    await expect(f.runs.retry(record.id)).rejects.toMatchObject({ code: "run_not_retryable", status: 409 });
  });
});

describe("answer", () => {
  async function waitingRun(): Promise<RunRecord> {
    const record = await f.runs.start(request(ECHO_WORKFLOW));
    return (await f.store.update(record.id, (r) => ({
      ...r,
      status: "waiting",
      waitingFor: { step: "confirm", prompt: "Keep?", schema: { type: "object", properties: { keep: { type: "array", items: { type: "integer" } } }, required: ["keep"] }, requestedAt: r.createdAt, callbackId: "cb-1" },
    })))!;
  }

  it("checks the answer against the step's schema: 400 invalid_answer with the pointer", async () => {
    const record = await waitingRun();
    const error = await f.runs.answer(record.id, { keep: [1, "two"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_answer", status: 400, details: { step: "confirm", pointer: "/keep/1" } });
    await expect(f.runs.answer(record.id, {})).rejects.toMatchObject({ code: "invalid_answer", details: { pointer: "" } });
    expect((await f.runs.get(record.id))!.status).toBe("waiting");
  });

  it("a fitting answer is stored, announced and sent to the waiting execution — once", async () => {
    const record = await waitingRun();
    const answered = await f.runs.answer(record.id, { keep: [0, 2] });
    expect(answered).toMatchObject({ status: "running", answers: { confirm: { keep: [0, 2] } } });
    expect(answered!.waitingFor).toBeUndefined();
    expect(f.runner.callbacks).toContainEqual(["cb-1", { keep: [0, 2] }]);
    expect((await f.events.read(record.id)).at(-1)).toMatchObject({ type: "input_received", step: "confirm", answer: { keep: [0, 2] } });
    await expect(f.runs.answer(record.id, { keep: [] })).rejects.toMatchObject({ code: "run_not_waiting", status: 409 });
  });
});

describe("reapStuckRuns", () => {
  it("ends runs unfinished past their limit and grace as timed_out; leaves the others", async () => {
    const stuck = await f.runs.start(request(ECHO_WORKFLOW, {}, { limitMs: 1000 }));
    const fresh = await f.runs.start(request(ECHO_WORKFLOW));
    const now = Date.parse(stuck.createdAt) + 1000 + 60_000 + 1;
    const reaped = await f.runs.reapStuckRuns(now);
    expect(reaped.map((r) => r.id)).toContain(stuck.id);
    expect(reaped.map((r) => r.id)).not.toContain(fresh.id);
    expect(await f.runs.get(stuck.id)).toMatchObject({ status: "timed_out", error: { code: "run_timed_out" } });
    expect((await f.events.read(stuck.id)).at(-1)).toMatchObject({ type: "run_finished", status: "timed_out" });
    expect((await f.runs.get(fresh.id))!.status).toBe("queued");
    expect(f.runner.stopped).toContain(stuck.id);
  });
});

describe("a sync run whose process died", () => {
  it("is ended timed_out when it is next read past its limit and grace", async () => {
    const record = { ...(await f.runs.runInProcess(request(ECHO_WORKFLOW), never)).record };
    const abandoned = { ...record, id: sortableId(), status: "running" as const, finishedAt: undefined, elapsedMs: undefined, outputs: undefined };
    await f.store.create(abandoned);
    expect((await f.runs.get(abandoned.id))!.status).toBe("running");
    // Its limit counts from its attempt's start.
    const later = f.elsewhereAt(Date.parse(record.attempts[0]!.startedAt) + record.limitMs + 60_001);
    expect(await later.get(abandoned.id)).toMatchObject({ status: "timed_out", error: { code: "run_timed_out" } });
    expect((await f.events.read(abandoned.id)).at(-1)).toMatchObject({ type: "run_finished", status: "timed_out" });
  });
});

describe("purge", () => {
  it("deletes the record, its events and its index entry", async () => {
    const { record } = await f.runs.runInProcess(request(ECHO_WORKFLOW), never);
    expect(await f.runs.purge(record.id)).toBe(true);
    expect(await f.runs.get(record.id)).toBeUndefined();
    expect(await f.events.read(record.id)).toEqual([]);
    expect((await f.runs.list({ workspace: "acme" }, 100)).runs.map((r) => r.id)).not.toContain(record.id);
    expect(await f.runs.purge(record.id)).toBe(false);
  });
});
