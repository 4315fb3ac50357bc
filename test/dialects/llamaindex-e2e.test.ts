/**
 * LlamaIndex's routes over real HTTP on the local stack: the HTTP statuses their clients read
 * (GET /handlers/{id}: 200 completed, 202 running, 500 failed or cancelled; POST .../run: 200 or
 * 500 with the handler), their `{"detail"}` errors beside cvflow's envelope, the filters and
 * pages of GET /handlers, Idempotency-Key, and cvflow's own routes left as they were.
 */
import type { LocalStack } from "@cvflow/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, runInline, testStack } from "../local-stack.js";
import { ASK, greyImage, RESIZE, saveWorkflow } from "./llamaindex-workflows.js";

/** Fails at its one step: a model no server has (a runtime failure, not a definition error). */
const UNKNOWN_MODEL = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "no-such-model/3" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

let stack: LocalStack;
let image: { type: "base64"; value: string };

/** Polls the handler until its status is `status`; the last answer. */
async function handlerUntil(id: string, status: string): Promise<{ status: number; body: any }> {
  for (;;) {
    const answer = await call(stack, "GET", `/handlers/${id}`);
    if (answer.body.status === status) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls the run's record until its step has asked (the record names what it waits for, as before its InputRequiredEvent). */
async function untilAsked(id: string): Promise<void> {
  while (!(await call(stack, "GET", `/runs/${id}`)).body.waitingFor) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("LlamaIndex's workflow-server routes", () => {
  beforeAll(async () => {
    stack = await testStack();
    image = await greyImage();
    await saveWorkflow(stack, "resize", RESIZE);
    await saveWorkflow(stack, "ask", ASK);
    await saveWorkflow(stack, "broken", UNKNOWN_MODEL);
  }, 60_000);
  afterAll(() => stack?.close(), 30_000);

  it("run: 200 with the completed handler; 500 with the failed one, its error a string", async () => {
    const done = await call(stack, "POST", "/workflows/resize/run", { body: { start_event: { image, width: 24 } } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ workflow_name: "resize", status: "completed", error: null, result: { type: "StopEvent", value: { result: [{ width: 24 }] } } });
    const failed = await call(stack, "POST", "/workflows/broken/run", { body: { start_event: { image } } });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ workflow_name: "broken", status: "failed", result: null });
    expect(failed.body.error).toContain("no-such-model/3");
    expect(failed.body.completed_at).toEqual(expect.any(String));
    // A person's answer needs an async run: waiting in the request would hold it open.
    const asks = await call(stack, "POST", "/workflows/ask/run", { body: { start_event: { note: "n" } } });
    expect([asks.status, asks.body.status]).toEqual([500, "failed"]);
    expect(asks.body.error).toMatch(/async/);
  });

  it("GET /workflows/{name}/schema: the start event's fields are the inputs, the stop event's result the outputs", async () => {
    const { status, body } = await call(stack, "GET", "/workflows/resize/schema");
    expect(status).toBe(200);
    expect(body.start).toMatchObject({ title: "StartEvent", required: ["image"], properties: { image: { required: ["type", "value"], "x-cvflow-kinds": ["image"] }, width: {} } });
    expect(Object.keys(body.stop.properties.result.items.properties)).toEqual(["width"]);
    expect((await call(stack, "GET", "/workflows/nope/schema")).status).toBe(404);
  });

  it("GET /handlers/{id}: 202 while running (a waiting run too), 500 once failed or cancelled, 200 completed", async () => {
    const waiting = await call(stack, "POST", "/workflows/ask/run-nowait", { body: { start_event: { type: "StartEvent", value: { note: "n" } } } });
    expect(waiting.status).toBe(200);
    expect(waiting.body.status).toBe("running");
    const id = waiting.body.handler_id;
    // Its record says waiting once the step asks; the handler still says running.
    await untilAsked(id);
    const running = await call(stack, "GET", `/handlers/${id}`);
    expect([running.status, running.body.status, running.body.completed_at]).toEqual([202, "running", null]);
    expect((await call(stack, "POST", `/handlers/${id}/cancel`)).body).toEqual({ status: "cancelled" });
    const cancelled = await call(stack, "GET", `/handlers/${id}`);
    expect([cancelled.status, cancelled.body.status, cancelled.body.error]).toEqual([500, "cancelled", null]);

    const broken = await call(stack, "POST", "/workflows/broken/run-nowait", { body: { start_event: { image } } });
    const failed = await handlerUntil(broken.body.handler_id, "failed");
    expect(failed.status).toBe(500);
    const result = await call(stack, "GET", `/results/${broken.body.handler_id}`);
    expect([result.status, result.body.status, result.body.result]).toEqual([500, "failed", null]);

    const quick = await call(stack, "POST", "/workflows/resize/run-nowait", { body: { start_event: { value: { image, width: 8 } } } });
    const completed = await handlerUntil(quick.body.handler_id, "completed");
    expect(completed.status).toBe(200);
    expect(completed.body.result.value.result).toEqual([{ width: 8 }]);
  });

  it("GET /handlers: filtered by their statuses (failed includes cvflow's timed_out) and names, in pages", async () => {
    const failed = await call(stack, "GET", "/handlers?status=failed");
    expect(failed.body.handlers.every((h: any) => h.status === "failed")).toBe(true);
    // The broken model's runs (sync and async) and the sync run that asked a person.
    expect(failed.body.handlers.map((h: any) => h.workflow_name).sort()).toEqual(["ask", "broken", "broken"]);
    const both = await call(stack, "GET", "/handlers?workflow_name=resize&workflow_name=broken");
    const names = new Set(both.body.handlers.map((h: any) => h.workflow_name));
    expect(names).toEqual(new Set(["resize", "broken"]));
    expect((await call(stack, "GET", "/handlers?status=paused")).body).toEqual({ handlers: [] });
    const all = (await call(stack, "GET", "/handlers")).body.handlers.map((h: any) => h.handler_id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const first = await call(stack, "GET", "/handlers?limit=2");
    expect(first.body.next_cursor).toEqual(expect.any(String));
    expect(first.body.handlers.map((h: any) => h.handler_id)).toEqual(all.slice(0, 2));
    const second = await call(stack, "GET", `/handlers?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.handlers.map((h: any) => h.handler_id)).toEqual(all.slice(2, 4));
  });

  it("takes an image uploaded to the caller's workspace (POST /uploads), in the request and async", async () => {
    const upload = await call(stack, "POST", "/uploads", { body: {} });
    expect(upload.status).toBe(200);
    const put = await fetch(upload.body.upload_url, { method: "PUT", body: Buffer.from(image.value, "base64") });
    expect(put.status).toBe(200);
    const done = await call(stack, "POST", "/workflows/resize/run", { body: { start_event: { image: upload.body.image, width: 12 } } });
    expect([done.status, done.body.result?.value.result]).toEqual([200, [{ width: 12 }]]);
    const started = await call(stack, "POST", "/workflows/resize/run-nowait", { body: { start_event: { image: upload.body.image, width: 11 } } });
    const completed = await handlerUntil(started.body.handler_id, "completed");
    expect(completed.body.result.value.result).toEqual([{ width: 11 }]);
  });

  it("the same Idempotency-Key twice starts one run", async () => {
    const headers = { "idempotency-key": "llama-once" };
    const first = await call(stack, "POST", "/workflows/resize/run-nowait", { body: { start_event: { image, width: 9 } }, headers });
    const again = await call(stack, "POST", "/workflows/resize/run-nowait", { body: { start_event: { image, width: 9 } }, headers });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.body.handler_id).toEqual(expect.any(String));
    expect(again.body.handler_id).toBe(first.body.handler_id);
  });

  it("answers errors as theirs, {detail}, beside cvflow's envelope", async () => {
    const cases: [string, string, unknown, number, string | RegExp][] = [
      ["GET", "/handlers/run_nope", undefined, 404, /run_nope/],
      ["POST", "/workflows/nope/run-nowait", {}, 404, /nope/],
      ["POST", "/workflows/resize/run-nowait", { start_event: { image }, context: { state: {} } }, 400, /context/],
      ["POST", "/workflows/resize/run-nowait", { start_event: { image }, handler_id: "mine" }, 400, /handler_id/],
      ["POST", "/workflows/resize/run-nowait", { start_event: "not json" }, 400, /start_event/],
      ["GET", "/events/run_nope?after_sequence=x", undefined, 400, "Invalid after_sequence: 'x'"],
      ["POST", "/events/run_nope", {}, 400, /Event data is required/],
      ["GET", "/handlers?limit=0", undefined, 400, /limit/],
    ];
    for (const [method, path, body, status, detail] of cases) {
      const answer = await call(stack, method, path, body === undefined ? {} : { body });
      expect([path, answer.status]).toEqual([path, status]);
      expect(answer.body.detail).toMatch(detail);
      expect(answer.body.detail).toBe(answer.body.error.message);
    }
    const anonymous = await call(stack, "GET", "/handlers", { key: null });
    expect([anonymous.status, anonymous.body.error.code, typeof anonymous.body.detail]).toEqual([401, "unauthorized", "string"]);
  });

  it("a HumanResponseEvent that misses the step's schema is a 400 and the run still waits; one for another step is a 400", async () => {
    const started = await call(stack, "POST", "/workflows/ask/run-nowait", { body: { start_event: { note: "n" } } });
    const id = started.body.handler_id;
    await untilAsked(id);
    const wrong = await call(stack, "POST", `/events/${id}`, { body: { event: { type: "HumanResponseEvent", value: { keep: "all" } } } });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, "invalid_answer"]);
    const elsewhere = await call(stack, "POST", `/events/${id}`, { body: { event: { type: "HumanResponseEvent", value: { keep: [1] } }, step: "other" } });
    expect(elsewhere.status).toBe(400);
    expect((await call(stack, "GET", `/handlers/${id}`)).status).toBe(202);
    // A reader from "now" (the server's default) while it waits, as NDJSON: only what comes next.
    const fromNow = await fetch(`${stack.url}/events/${id}?sse=false&include_internal=true`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
    // Their client may send the event as a JSON string.
    const sent = await call(stack, "POST", `/events/${id}`, { body: { event: JSON.stringify({ type: "HumanResponseEvent", value: { keep: [1] } }) } });
    expect(sent.body).toEqual({ status: "sent" });
    const lines = (await fromNow.text()).trim().split("\n").map((line) => JSON.parse(line));
    // The step runs again with its answer: nothing from before the reader came (no InputRequiredEvent).
    expect(lines.map((e) => [e.type, e.value.step_state ?? null])).toEqual([["StepStateChanged", "running"], ["StepStateChanged", "not_running"], ["StopEvent", null]]);
    const done = await handlerUntil(id, "completed");
    expect(done.body.result.value.result).toEqual([{ answer: { keep: [1] } }]);
  });

  it("leaves cvflow's own routes as they were: the inline run, its error envelope without detail", async () => {
    const inline = await runInline(stack, RESIZE, { image, width: 16 });
    expect(inline.status).toBe(200);
    expect(inline.body.outputs).toEqual([{ width: 16 }]);
    const missing = await call(stack, "GET", "/runs/run_nope");
    expect(missing.status).toBe(404);
    expect("detail" in missing.body).toBe(false);
  });
});
