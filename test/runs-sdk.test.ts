/**
 * The SDK's runs against the real local stack (gateway, service, runs on the durable SDK's local
 * runner, the S3-protocol server), over loopback: start without waiting, follow, resume, answer,
 * cancel, retry, list, delete, Idempotency-Key. No models: core blocks and wait_for_input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { CvflowClient, CvflowError, type RunEvent } from "@cvflow/sdk";
import { testStack } from "./local-stack.js";
import { REVIEW_WORKFLOW } from "@cvflow/service/testing";

/** value -> three steps passing it on -> output `value`. */
const CHAIN = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "value", default_value: 1 }],
  steps: ["a", "b", "c"].map((name, i, all) => ({
    type: "roboflow_core/first_non_empty_or_default@v1",
    name,
    data: [i === 0 ? "$inputs.value" : `$steps.${all[i - 1]}.output`],
  })),
  outputs: [{ type: "JsonField", name: "value", selector: "$steps.c.output" }],
};

let stack: LocalStack;
let client: CvflowClient;

beforeAll(async () => {
  stack = await testStack();
  client = new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey });
});
afterAll(() => stack?.close());

async function eventsOf(id: string, options = {}): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of client.streamEvents(id, options)) events.push(event);
  return events;
}

/** Reads the run's stream until an event of this type, and leaves. */
async function until(id: string, type: RunEvent["type"]): Promise<RunEvent> {
  for await (const event of client.streamEvents(id)) if (event.type === type) return event;
  throw new Error(`run ${id} ended without ${type}`);
}

describe("SDK runs on the local stack", () => {
  it("runNowait answers the queued record at once; streamEvents follows it to run_finished; getRun has the outputs", async () => {
    const started = await client.runNowait({ specification: CHAIN }, { parameters: { value: 7 } });
    expect(started).toMatchObject({ mode: "async", workflow: { name: "inline" }, totalSteps: 3 });
    expect(["queued", "running", "succeeded"]).toContain(started.status);

    const events = await eventsOf(started.id);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(["run_queued", "run_started", ...["a", "b", "c"].flatMap(() => ["step_started", "step_finished"]), "run_finished"]);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "succeeded", runId: started.id });

    const record = await client.getRun(started.id);
    expect(record).toMatchObject({ status: "succeeded", outputs: [{ value: 7 }], lastSequence: events.length });
    expect(record.steps.map((s) => [s.name, s.status])).toEqual([["a", "succeeded"], ["b", "succeeded"], ["c", "succeeded"]]);
    expect(await client.waitForRun(started.id)).toEqual(record);

    const { runs } = await client.listRuns({ status: "succeeded", workflow: "inline" });
    expect(runs.map((r) => r.id)).toContain(started.id);
    expect((await client.listRuns({ status: ["failed", "cancelled"] })).runs.map((r) => r.id)).not.toContain(started.id);
  });

  it("a reader that leaves mid-stream and resumes after its last event gets each event once, while another reads the whole stream", async () => {
    const { id } = await client.runNowait({ specification: CHAIN });
    const whole = eventsOf(id);
    const first: RunEvent[] = [];
    for await (const event of client.streamEvents(id)) {
      first.push(event);
      if (first.length === 3) break;
    }
    const rest = await eventsOf(id, { after: first.at(-1)!.sequence });
    const all = await whole;
    expect([...first, ...rest]).toEqual(all);
    expect(all.at(-1)!.type).toBe("run_finished");
    // follow: false gives the log as it is (here the whole of it) and ends.
    expect(await eventsOf(id, { follow: false })).toEqual(all);
  });

  it("human input: the run waits, a wrong answer is refused with where it is wrong, the right one finishes it", async () => {
    const { id } = await client.runNowait({ specification: REVIEW_WORKFLOW });
    const asked = await until(id, "input_required");
    expect(asked).toMatchObject({ request: { step: "review", prompt: "Is this right?", data: "dog", schema: REVIEW_WORKFLOW.steps[1]!.answer_schema } });
    expect(await client.getRun(id)).toMatchObject({ status: "waiting", waitingFor: { step: "review", prompt: "Is this right?" } });

    const wrong = (await client.answer(id, { ok: "yes" }).catch((e: unknown) => e)) as CvflowError;
    expect(wrong).toBeInstanceOf(CvflowError);
    expect([wrong.code, wrong.status, wrong.details["pointer"]]).toEqual(["invalid_answer", 400, "/ok"]);

    // LlamaIndex's way (POST /events/{id}, a HumanResponseEvent): only that route answers `sent`.
    expect(await client.sendEvent(id, { ok: true })).toEqual({ status: "sent" });
    const events = await eventsOf(id, { after: asked.sequence });
    expect(events[0]).toMatchObject({ type: "input_received", step: "review", answer: { ok: true } });
    expect(events.at(-1)).toMatchObject({ type: "run_finished", status: "succeeded" });
    expect((await client.getRun(id)).outputs).toEqual([{ answer: { ok: true } }]);
  });

  it("cancel ends a waiting run cancelled; retry starts a new attempt that reuses the step before the wait; delete removes it", async () => {
    const { id } = await client.runNowait({ specification: REVIEW_WORKFLOW });
    await until(id, "input_required");
    const before = (await client.getRun(id)).steps.find((s) => s.name === "before")!;

    const cancelled = await client.cancel(id);
    expect(cancelled.status).toBe("cancelled");
    const finished = (await eventsOf(id)).at(-1)!;
    expect(finished).toMatchObject({ type: "run_finished", status: "cancelled" });

    // Queued again; the attempt is in `attempts` once it starts (its run_started event).
    expect((await client.retry(id)).status).toBe("queued");
    const next: RunEvent[] = [];
    for await (const event of client.streamEvents(id, { after: finished.sequence })) {
      next.push(event);
      if (event.type === "input_required") break; // the new attempt waits again
    }
    expect(next.map((e) => e.type)).toEqual(expect.arrayContaining(["run_started", "input_required"]));
    const reused = next.find((e) => e.type === "step_finished");
    expect(reused).toMatchObject({ step: "before", reused: true });
    const record = await client.getRun(id);
    expect(record.status).toBe("waiting");
    expect(record.attempts.map((a) => a.number)).toEqual([1, 2]);
    expect(record.attempts[1]!.reusedSteps).toEqual(["before"]);
    // The reused step's record is the first attempt's: same times, same attempt number.
    expect(record.steps.find((s) => s.name === "before")).toEqual(before);

    await client.deleteRun(id);
    const gone = (await client.getRun(id).catch((e: unknown) => e)) as CvflowError;
    expect([gone.code, gone.status]).toEqual(["run_not_found", 404]);
  });

  it("a sync run has its record too: runWorkflow answers its id, the same Idempotency-Key the same run", async () => {
    const key = `sync-${Date.now()}`;
    const result = await client.runWorkflow({ specification: CHAIN }, { parameters: { value: 3 }, idempotencyKey: key });
    expect(result.outputs).toEqual([{ value: 3 }]);
    const record = await client.getRun(result.runId!);
    expect(record).toMatchObject({ mode: "sync", status: "succeeded", outputs: [{ value: 3 }] });
    expect(record.steps.map((s) => s.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect((await eventsOf(result.runId!)).map((e) => e.type)).toEqual(["run_started", ...["a", "b", "c"].flatMap(() => ["step_started", "step_finished"]), "run_finished"]);
    const again = await client.runWorkflow({ specification: CHAIN }, { parameters: { value: 3 }, idempotencyKey: key });
    expect(again).toEqual(result);
  });

  it("the same Idempotency-Key with the same request gives the same run; with another request, 422", async () => {
    const key = `key-${Date.now()}`;
    const one = await client.runNowait({ specification: CHAIN }, { parameters: { value: 1 }, idempotencyKey: key });
    const again = await client.runNowait({ specification: CHAIN }, { parameters: { value: 1 }, idempotencyKey: key });
    expect(again.id).toBe(one.id);
    const other = (await client.runNowait({ specification: CHAIN }, { parameters: { value: 2 }, idempotencyKey: key }).catch((e: unknown) => e)) as CvflowError;
    expect([other.code, other.status, other.details["run_id"]]).toEqual(["idempotency_key_reused", 422, one.id]);
    // One run, which ran once.
    const record = await client.waitForRun(one.id);
    expect(record).toMatchObject({ status: "succeeded", outputs: [{ value: 1 }], attempts: [{ number: 1 }] });
  });
});
