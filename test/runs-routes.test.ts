/**
 * cvflow's run routes over the real RunsService on a local S3 server, through the service's
 * `handle`: the runs a workspace made (sync runs keep records too), a run's record and its
 * events read without following (SSE with ids, NDJSON, `after`, `Last-Event-ID`), delete,
 * another workspace's key seeing nothing (404), the query's checks, the OpenAPI entries, and 501
 * where runs (or a durable runner for async starts) are not configured. Async runs end to end:
 * test/e2e-runs.test.ts.
 */
import { createHash } from "node:crypto";
import { randomUUID } from "node:crypto";
import { createWorkflowEngine } from "@cvflow/blocks";
import type { Block } from "@cvflow/engine";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { EventLog, RunsService, RunStore } from "@cvflow/runs";
import { createTestService, ECHO_WORKFLOW, sleepBlock, streamText, TEST_KEYS, TEST_WORKSPACE, type TestService } from "@cvflow/service/testing";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let s3: LocalS3;
let t: TestService;
let runs: RunsService;

beforeAll(async () => {
  s3 = await startLocalS3();
  const engine = createWorkflowEngine({ blocks: [sleepBlock as Block] });
  runs = new RunsService({ engine, store: new RunStore(s3.client, s3.bucket), events: new EventLog(s3.client, s3.bucket) });
  t = await createTestService({ engine, runs });
});
afterAll(() => s3.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
}

async function call(method: string, target: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const [path, query = ""] = target.split("?") as [string, string?];
  const response = await t.service.handle({
    method,
    path,
    query,
    headers: { authorization: `Bearer ${options.key ?? TEST_KEYS.runner}`, ...options.headers },
    ...(options.body === undefined ? {} : { body: new TextEncoder().encode(JSON.stringify(options.body)) }),
    requestId: randomUUID(),
  });
  const text = response.stream ? await streamText(response.stream) : response.body;
  const json = response.headers["content-type"]?.startsWith("application/json");
  return { status: response.statusCode, headers: response.headers, text, body: json ? JSON.parse(text) : undefined };
}

/** A sync run of ECHO_WORKFLOW (it keeps a record): its run id. */
async function syncRun(x: number, key: string = TEST_KEYS.runner): Promise<string> {
  const response = await call("POST", "/workflows/run", { key, body: { specification: ECHO_WORKFLOW, inputs: { x } } });
  expect(response.status).toBe(200);
  return response.headers["x-cvflow-run-id"]!;
}

function sseMessages(text: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  parser.feed(text);
  return messages;
}

describe("reading runs", () => {
  it("GET /runs/{run_id}: the record with its outputs; another workspace's key gets 404, as for no run", async () => {
    const id = await syncRun(7);
    const own = await call("GET", `/runs/${id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id, workspace: TEST_WORKSPACE, mode: "sync", status: "succeeded", workflow: { name: "inline" }, outputs: [{ x: 7 }], totalSteps: 1 });
    expect(own.body).not.toHaveProperty("outputsKey");
    // Who started it: the key's id (the start of its SHA-256), never the key.
    expect(own.body.startedBy.keyId).toBe(createHash("sha256").update(TEST_KEYS.runner).digest("hex").slice(0, 16));
    expect(JSON.stringify(own.body)).not.toContain(TEST_KEYS.runner);
    const other = await call("GET", `/runs/${id}`, { key: TEST_KEYS.other });
    const missing = await call("GET", "/runs/0000000000000000000000000");
    expect([other.status, other.body.error.code]).toEqual([404, "run_not_found"]);
    expect([missing.status, missing.body.error.code]).toEqual([404, "run_not_found"]);
    for (const [method, path] of [["GET", `/runs/${id}/events?follow=false`], ["POST", `/runs/${id}/cancel`], ["POST", `/runs/${id}/retry`], ["DELETE", `/runs/${id}`]] as const) {
      expect((await call(method, path, { key: TEST_KEYS.other })).status).toBe(404);
    }
    expect((await call("POST", `/runs/${id}/input`, { key: TEST_KEYS.other, body: { answer: 1 } })).status).toBe(404);
  });

  it("GET /runs: the workspace's runs newest first, paged by cursor, filtered by status and time", async () => {
    const first = await syncRun(1);
    const second = await syncRun(2);
    const foreign = await syncRun(3, TEST_KEYS.other);
    const page = await call("GET", "/runs?limit=1");
    expect(page.body.runs.map((r: { id: string }) => r.id)).toEqual([second]);
    const next = await call("GET", `/runs?limit=1&cursor=${encodeURIComponent(page.body.cursor)}`);
    expect(next.body.runs.map((r: { id: string }) => r.id)).toEqual([first]);
    const all = await call("GET", "/runs?limit=100&status=succeeded,failed");
    const ids = all.body.runs.map((r: { id: string }) => r.id);
    expect(ids).toContain(first);
    expect(ids).not.toContain(foreign);
    const createdAt = Date.parse((await runs.get(second))!.createdAt);
    const later = await call("GET", `/runs?from=${createdAt + 1}`);
    expect(later.body.runs.map((r: { id: string }) => r.id)).not.toContain(second);
    expect((await call("GET", `/runs?to=${new Date(createdAt).toISOString()}&limit=100`)).body.runs.map((r: { id: string }) => r.id)).toContain(second);
    expect((await call("GET", "/runs?status=succeeded", { key: TEST_KEYS.other })).body.runs.map((r: { id: string }) => r.id)).toEqual([foreign]);
  });

  it("refuses a wrong status, time, limit, format, after or follow, naming the field", async () => {
    const id = await syncRun(1);
    for (const [target, field] of [
      ["/runs?status=done", "status"],
      ["/runs?from=yesterday", "from"],
      ["/runs?limit=0", "limit"],
      [`/runs/${id}/events?format=xml`, "format"],
      [`/runs/${id}/events?after=-1`, "after"],
      [`/runs/${id}/events?follow=yes`, "follow"],
    ] as const) {
      const response = await call("GET", target);
      expect([target, response.status, response.body.error.code, response.body.error.details.field]).toEqual([target, 400, "invalid_request", field]);
    }
  });
});

describe("a run's events", () => {
  it("SSE: retry, then each event with its sequence number as id and its type as event; after and Last-Event-ID resume", async () => {
    const id = await syncRun(4);
    const response = await call("GET", `/runs/${id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(response.text.startsWith("retry: ")).toBe(true);
    const messages = sseMessages(response.text);
    expect(messages.map((m) => [m.id, m.event])).toEqual([
      ["1", "run_started"],
      ["2", "step_started"],
      ["3", "step_finished"],
      ["4", "run_finished"],
    ]);
    expect(JSON.parse(messages[3]!.data)).toMatchObject({ runId: id, sequence: 4, type: "run_finished", status: "succeeded" });
    const afterTwo = sseMessages((await call("GET", `/runs/${id}/events?after=2`)).text);
    expect(afterTwo.map((m) => m.id)).toEqual(["3", "4"]);
    // The later of the two wins: an EventSource reconnecting to a URL with an older `after`.
    const resumed = sseMessages((await call("GET", `/runs/${id}/events?after=1`, { headers: { "last-event-id": "3" } })).text);
    expect(resumed.map((m) => m.id)).toEqual(["4"]);
  });

  it("NDJSON: one event per line", async () => {
    const id = await syncRun(5);
    const response = await call("GET", `/runs/${id}/events?format=ndjson&follow=false`);
    expect(response.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    const lines = response.text.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(lines.every((e) => e.runId === id)).toBe(true);
  });
});

describe("changing runs", () => {
  it("DELETE /runs/{run_id} removes the record and its events; a second delete is 404", async () => {
    const id = await syncRun(6);
    expect((await call("DELETE", `/runs/${id}`)).body).toEqual({ id, deleted: true });
    expect((await call("GET", `/runs/${id}`)).status).toBe(404);
    expect(await runs.events.read(id)).toEqual([]);
    expect((await call("DELETE", `/runs/${id}`)).status).toBe(404);
  });

  it("cancel leaves a finished run as it is; input to a run that does not wait is 409", async () => {
    const id = await syncRun(8);
    expect((await call("POST", `/runs/${id}/cancel`)).body).toMatchObject({ id, status: "succeeded" });
    expect((await call("POST", `/runs/${id}/input`, { body: { answer: true } })).body.error.code).toBe("run_not_waiting");
    expect((await call("POST", `/runs/${id}/input`, { body: {} })).body.error).toMatchObject({ code: "invalid_request", details: { field: "answer" } });
  });

  it("an async start without a durable runner is 501 runs_not_configured; without an API key, 401", async () => {
    const start = await call("POST", "/workflows/runs", { body: { specification: ECHO_WORKFLOW } });
    expect([start.status, start.body.error.code]).toEqual([501, "runs_not_configured"]);
    const anonymous = await t.service.handle({ method: "GET", path: "/runs", query: "", headers: {}, requestId: "r" });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("without runs", () => {
  it("every run route answers 501 runs_not_configured", async () => {
    const bare = await createTestService();
    const response = await bare.service.handle({ method: "GET", path: "/runs", query: "", headers: { authorization: `Bearer ${TEST_KEYS.runner}` }, requestId: "r" });
    expect(response.statusCode).toBe(501);
    expect(JSON.parse(response.body!).error.code).toBe("runs_not_configured");
  });
});

describe("OpenAPI", () => {
  it("lists the run routes with their parameters, the events' media types and their errors", () => {
    const document = t.service.openApi() as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };
    const { paths } = document;
    expect(Object.keys(paths).filter((p) => p.startsWith("/runs") || p.endsWith("/runs")).sort()).toEqual([
      "/runs",
      "/runs/{run_id}",
      "/runs/{run_id}/cancel",
      "/runs/{run_id}/events",
      "/runs/{run_id}/input",
      "/runs/{run_id}/inputs",
      "/runs/{run_id}/retry",
      "/workflows/runs",
      "/{workspace}/workflows/{workflow_id}/runs",
    ]);
    const events = paths["/runs/{run_id}/events"]!["get"];
    expect(Object.keys(events.responses["200"].content)).toEqual(["text/event-stream", "application/x-ndjson"]);
    expect(events.parameters.map((p: { name: string }) => p.name)).toEqual(["run_id", "format", "after", "follow", "Last-Event-ID"]);
    expect(Object.keys(events.responses)).toEqual(expect.arrayContaining(["404", "501"]));
    const start = paths["/workflows/runs"]!["post"];
    expect(start.parameters.map((p: { name: string }) => p.name)).toEqual(["Idempotency-Key"]);
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(["202", "422", "501"]));
    expect(paths["/runs/{run_id}"]!["delete"].operationId).toBe("deleteRun");
    expect(document.components.schemas).toHaveProperty("RunRecord");
  });
});
