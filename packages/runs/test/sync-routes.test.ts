/**
 * The service's sync run routes with runs configured: each run gets a record and events (named in
 * X-Cvflow-Run-Id), the answer is what it was without them — outputs, and errors with their
 * codes and details (a 504 keeps its finished steps).
 */
import { createWorkflowEngine } from "@cvflow/blocks";
import type { Block } from "@cvflow/engine";
import { ECHO_WORKFLOW, createTestService, overrunWorkflow, sleepBlock, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog } from "../src/event-log.js";
import { RunStore } from "../src/run-store.js";
import { RunsService } from "../src/runs-service.js";

let s3: LocalS3;
let runs: RunsService;
let t: Awaited<ReturnType<typeof createTestService>>;

beforeAll(async () => {
  s3 = await startLocalS3();
  // One engine for the service and its runs, as the API function wires them.
  const engine = createWorkflowEngine({ blocks: [sleepBlock as Block] });
  runs = new RunsService({ engine, store: new RunStore(s3.client, s3.bucket), events: new EventLog(s3.client, s3.bucket) });
  t = await createTestService({ engine, runs, limits: { runDeadlineMs: 600, deadlineMarginMs: 0 } });
});
afterAll(() => s3.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await t.service.handle({ method: "POST", path, query: "", headers: { authorization: `Bearer ${TEST_KEYS.runner}`, ...headers }, body: new TextEncoder().encode(JSON.stringify(body)), requestId: "r1" });
  return { status: response.statusCode, headers: response.headers, body: JSON.parse((response as { body: string }).body) };
}

describe("sync runs keep a record", () => {
  it("POST /workflows/run answers as before, naming its run; the record holds the outputs and the events the steps", async () => {
    const response = await post("/workflows/run", { specification: ECHO_WORKFLOW, inputs: { x: 3 } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ outputs: [{ x: 3 }] });
    const id = response.headers["x-cvflow-run-id"]!;
    const record = await runs.get(id);
    expect(record).toMatchObject({ status: "succeeded", mode: "sync", workspace: TEST_WORKSPACE, workflow: { name: "inline" }, outputs: [{ x: 3 }] });
    expect((await runs.events.read(id)).map((e) => e.type)).toEqual(["run_started", "step_started", "step_finished", "run_finished"]);
  });

  it("a saved workflow's run names the workflow and its version", async () => {
    const admin = { authorization: `Bearer ${TEST_KEYS.admin}` };
    const created = await post(`/${TEST_WORKSPACE}/createWorkflow`, { name: "Echo", url: "echo", config: { specification: ECHO_WORKFLOW } }, admin);
    expect(created.status).toBe(201);
    const response = await post(`/${TEST_WORKSPACE}/workflows/echo`, { inputs: { x: 9 } });
    expect(response.body.outputs).toEqual([{ x: 9 }]);
    const record = await runs.get(response.headers["x-cvflow-run-id"]!);
    expect(record?.workflow).toMatchObject({ workspace: TEST_WORKSPACE, id: "echo", name: "echo" });
    expect(record?.workflow.versionId).toMatch(/^[0-9a-z]{25}$/);
  });

  it("a run past the deadline is the same 504 with its finished steps, naming its run, whose record says timed_out", async () => {
    const response = await post("/workflows/run", { specification: overrunWorkflow(3000) });
    expect(response.status).toBe(504);
    expect(response.body.error).toMatchObject({ code: "deadline_exceeded", details: { finished_steps: ["quick"], running_steps: ["slow"] } });
    const id = response.headers["x-cvflow-run-id"]!;
    await expect.poll(async () => (await runs.get(id))?.status).toBe("timed_out");
  });

  it("Idempotency-Key: the same request twice is one run; another body with the key is 422", async () => {
    const key = { "idempotency-key": "sync-1" };
    const first = await post("/workflows/run", { specification: ECHO_WORKFLOW, inputs: { x: 5 } }, key);
    const again = await post("/workflows/run", { specification: ECHO_WORKFLOW, inputs: { x: 5 } }, key);
    expect(again.body).toEqual(first.body);
    expect(again.headers["x-cvflow-run-id"]).toBe(first.headers["x-cvflow-run-id"]);
    const other = await post("/workflows/run", { specification: ECHO_WORKFLOW, inputs: { x: 6 } }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");
  });
});
