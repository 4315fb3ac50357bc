/**
 * Async runs over the real local stack (HTTP on loopback, the local S3 server, the durable SDK's
 * local runner, the gateway streaming chunk by chunk): a start answers 202 at once; a run's event
 * stream read by one reader that drops its connection mid-run and resumes with Last-Event-ID,
 * while a second reader reads it whole, gives each of them every event exactly once, in order;
 * a cancel stops a running step within a second; another workspace's key sees none of it (404).
 * And a stack whose API function runs BUFFERED: a followed stream is 501 saying so, a read of what
 * is there is sent whole.
 */
import { fileURLToPath } from "node:url";
import type { LocalStack } from "@cvflow/local";
import { createS3Client, S3ApiKeyStore } from "@cvflow/store";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoWorkflow } from "./fixtures/echo-workflow.js";
import { call, testStack } from "./local-stack.js";

let stack: LocalStack;
let otherKey: string;

beforeAll(async () => {
  stack = await testStack({ env: { CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("./fixtures/pause-block.ts", import.meta.url)) } });
  const client = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  otherKey = (await new S3ApiKeyStore(client, stack.s3.bucket).create("other", ["workflow:run", "workflow:read"], "test")).key;
});
afterAll(() => stack?.close());

/** `steps` pauses of `ms` each, one after another (each waits for the one before), then the value out. */
function chain(steps: number, ms: number) {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowParameter", name: "value", default_value: 1 }],
    steps: Array.from({ length: steps }, (_, i) => ({ type: "test/pause@v1", name: `p${i + 1}`, ms, value: i === 0 ? "$inputs.value" : `$steps.p${i}.output` })),
    outputs: [{ type: "JsonField", name: "value", selector: `$steps.p${steps}.output` }],
  };
}

async function start(specification: unknown): Promise<string> {
  const started = await call(stack, "POST", "/workflows/runs", { body: { specification } });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ mode: "async", workspace: stack.workspace });
  expect(started.headers.get("location")).toBe(`/runs/${started.body.id}`);
  return started.body.id;
}

interface Connection {
  messages: EventSourceMessage[];
  /** true when the server ended the stream; false when this reader dropped it. */
  ended: boolean;
}

/**
 * Reads the run's SSE stream over one connection: until the server ends it, or — `dropAfter` —
 * the reader drops the connection itself once it has that many events.
 */
async function readEvents(id: string, options: { lastEventId?: string; dropAfter?: number } = {}): Promise<Connection> {
  const connection = new AbortController();
  const response = await fetch(`${stack.url}/runs/${id}/events`, {
    headers: { authorization: `Bearer ${stack.apiKey}`, accept: "text/event-stream", ...(options.lastEventId ? { "last-event-id": options.lastEventId } : {}) },
    signal: connection.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body!) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (options.dropAfter !== undefined && messages.length >= options.dropAfter) {
        connection.abort();
        break;
      }
    }
  } catch (error) {
    if (!connection.signal.aborted) throw error;
  }
  return { messages, ended: !connection.signal.aborted };
}

const sequences = (messages: EventSourceMessage[]): number[] => messages.map((m) => Number(m.id));

describe("an async run's events", () => {
  it("a reader that drops its connection and resumes by Last-Event-ID, and a reader that reads it whole, each get every event exactly once", async () => {
    const steps = 5;
    const id = await start(chain(steps, 150));
    const [whole, first] = await Promise.all([readEvents(id), readEvents(id, { dropAfter: 3 })]);
    const resumed = await readEvents(id, { lastEventId: first.messages.at(-1)!.id! });

    // run_queued, run_started, each step's start and finish, run_finished.
    const total = 3 + 2 * steps;
    const all = Array.from({ length: total }, (_, i) => i + 1);
    expect(whole.ended).toBe(true);
    expect(sequences(whole.messages)).toEqual(all);
    // The drop came mid-run: the first connection had not seen the end.
    expect(first.ended).toBe(false);
    expect(first.messages.length).toBeGreaterThanOrEqual(3);
    expect(first.messages.length).toBeLessThan(total);
    expect(resumed.ended).toBe(true);
    expect([...sequences(first.messages), ...sequences(resumed.messages)]).toEqual(all);

    // The same events, as the log holds them: `id:` the sequence number, `event:` the type.
    const logged = (await fetch(`${stack.url}/runs/${id}/events?format=ndjson&follow=false`, { headers: { authorization: `Bearer ${stack.apiKey}` } }).then((r) => r.text()))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(whole.messages.map((m) => JSON.parse(m.data))).toEqual(logged);
    expect([...first.messages, ...resumed.messages].map((m) => JSON.parse(m.data))).toEqual(logged);
    expect(whole.messages.map((m) => m.event)).toEqual(logged.map((event) => event.type));
    expect(logged.at(-1)).toMatchObject({ type: "run_finished", status: "succeeded" });

    // The dropped connection stopped nothing: the run finished, with its output.
    const record = await call(stack, "GET", `/runs/${id}`);
    expect(record.body).toMatchObject({ status: "succeeded", outputs: [{ value: 1 }], lastSequence: total });
  });
});

describe("cancel", () => {
  it("stops a running step within a second; the record says cancelled, and so does the stream's last event", async () => {
    const id = await start(chain(1, 60_000));
    for (;;) {
      const { body } = await call(stack, "GET", `/runs/${id}`);
      if (body.steps[0].status === "running") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const asked = Date.now();
    const cancelled = await call(stack, "POST", `/runs/${id}/cancel`);
    const answered = Date.now() - asked;
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: "cancelled", steps: [{ name: "p1", status: "cancelled" }] });
    expect(answered).toBeLessThan(1000);
    expect(Date.parse(cancelled.body.finishedAt) - Date.parse(cancelled.body.cancelRequestedAt)).toBeLessThan(1000);
    const { messages } = await readEvents(id);
    expect(JSON.parse(messages.at(-1)!.data)).toMatchObject({ type: "run_finished", status: "cancelled" });
  });
});

describe("another workspace's key", () => {
  it("finds none of the run: 404 on every route, and not in its list", async () => {
    const id = await start(chain(1, 10));
    for (const [method, path, body] of [
      ["GET", `/runs/${id}`],
      ["GET", `/runs/${id}/events?follow=false`],
      ["POST", `/runs/${id}/cancel`],
      ["POST", `/runs/${id}/retry`],
      ["POST", `/runs/${id}/input`, { answer: true }],
      ["DELETE", `/runs/${id}`],
    ] as const) {
      const response = await call(stack, method, path, { key: otherKey, ...(body ? { body } : {}) });
      expect([method, path, response.status, response.body.error.code]).toEqual([method, path, 404, "run_not_found"]);
    }
    const listed = await call(stack, "GET", "/runs?limit=100", { key: otherKey });
    expect(listed.body.runs.map((r: { id: string }) => r.id)).not.toContain(id);
    expect((await call(stack, "GET", `/runs/${id}`)).status).toBe(200);
  });
});

describe("an API function in BUFFERED mode", () => {
  it("answers a followed stream 501 streaming_unavailable, naming the mode; sends follow=false whole", async () => {
    const buffered = await testStack({ env: { CVFLOW_INVOKE_MODE: "BUFFERED" } });
    try {
      const started = await call(buffered, "POST", "/workflows/runs", { body: { specification: echoWorkflow } });
      expect(started.status).toBe(202);
      const id: string = started.body.id;
      const followed = await call(buffered, "GET", `/runs/${id}/events`);
      expect(followed.status).toBe(501);
      expect(followed.body.error.code).toBe("streaming_unavailable");
      expect(followed.body.error.message).toContain("BUFFERED invoke mode");
      expect(followed.body.error.message).toContain("RESPONSE_STREAM");
      while ((await call(buffered, "GET", `/runs/${id}`)).body.status !== "succeeded") await new Promise((resolve) => setTimeout(resolve, 20));
      const read = await fetch(`${buffered.url}/runs/${id}/events?follow=false`, { headers: { authorization: `Bearer ${buffered.apiKey}` } });
      expect(read.status).toBe(200);
      expect(read.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(read.headers.get("content-length")).not.toBeNull();
      const messages: EventSourceMessage[] = [];
      createParser({ onEvent: (message) => messages.push(message) }).feed(await read.text());
      // run_queued, run_started, the step's start and finish, run_finished.
      expect(messages.map((m) => [m.id, m.event])).toEqual([
        ["1", "run_queued"],
        ["2", "run_started"],
        ["3", "step_started"],
        ["4", "step_finished"],
        ["5", "run_finished"],
      ]);
    } finally {
      await buffered.close();
    }
  });
});
