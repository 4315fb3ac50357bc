/**
 * Event streams as text: SSE frames (retry first, id/event/data, a heartbeat comment after each
 * quiet interval on a controlled clock), NDJSON lines, an error frame when the source fails, and
 * the signal ending the stream quietly while its source still waits.
 */
import { WorkflowError } from "@cvflow/engine";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lastEventId, ndjsonResponse, sseFrame, sseResponse, type StreamEvent } from "../src/event-stream.js";

afterEach(() => {
  vi.useRealTimers();
});

async function chunksOf(stream: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** A source whose items the test releases one by one; `finished` says whether it ran its finally block. */
function controlledSource<T>() {
  const waiting: ((item: IteratorResult<T>) => void)[] = [];
  const queued: IteratorResult<T>[] = [];
  const state = { finished: false };
  async function* source(): AsyncGenerator<T> {
    try {
      for (;;) {
        const next = queued.shift() ?? (await new Promise<IteratorResult<T>>((resolve) => waiting.push(resolve)));
        if (next.done) return;
        yield next.value;
      }
    } finally {
      state.finished = true;
    }
  }
  const push = (result: IteratorResult<T>) => {
    const waiter = waiting.shift();
    if (waiter) waiter(result);
    else queued.push(result);
  };
  return { source: source(), state, send: (value: T) => push({ done: false, value }), end: () => push({ done: true, value: undefined }) };
}

describe("SSE", () => {
  it("sends retry first, then each event as id, event and one data line of JSON", async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { id: 1, event: "run_queued", data: { type: "run_queued", text: "two\nlines" } };
      yield { id: 2, data: [1, 2] };
    }
    const response = sseResponse(events(), { signal: new AbortController().signal, requestId: "r1", retryMs: 2500 });
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-cache");
    const chunks = await chunksOf(response.stream);
    expect(chunks).toEqual(["retry: 2500\n\n", 'id: 1\nevent: run_queued\ndata: {"type":"run_queued","text":"two\\nlines"}\n\n', "id: 2\ndata: [1,2]\n\n"]);
  });

  it("sends a heartbeat comment after each quiet interval, and none while events keep coming", async () => {
    vi.useFakeTimers();
    const { source, send, end } = controlledSource<StreamEvent>();
    const iterator = sseResponse(source, { signal: new AbortController().signal, requestId: "r1", heartbeatMs: 15_000 }).stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe("retry: 1000\n\n");
    const next = iterator.next();
    await vi.advanceTimersByTimeAsync(14_999);
    send({ id: 1, event: "a", data: 1 });
    expect((await next).value).toBe("id: 1\nevent: a\ndata: 1\n\n");
    const quiet = iterator.next();
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await quiet).value).toBe(": heartbeat\n\n");
    const again = iterator.next();
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await again).value).toBe(": heartbeat\n\n");
    const last = iterator.next();
    end();
    expect(await last).toEqual({ done: true, value: undefined });
  });

  it("ends quietly when the signal fires while the source waits, and tells the source to finish", async () => {
    const { source, state } = controlledSource<StreamEvent>();
    const caller = new AbortController();
    const iterator = sseResponse(source, { signal: caller.signal, requestId: "r1" }).stream[Symbol.asyncIterator]();
    await iterator.next();
    const next = iterator.next();
    caller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(state.finished).toBe(false); // suspended in its await: it finishes when that settles
  });

  it("a failing source ends the stream with an error event carrying the error body, then throws", async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { id: 1, data: "ok" };
      throw new WorkflowError("run_not_found", "No run", 404, { run_id: "x" });
    }
    const chunks: string[] = [];
    await expect(async () => {
      for await (const chunk of sseResponse(events(), { signal: new AbortController().signal, requestId: "r1" }).stream) chunks.push(chunk);
    }).rejects.toThrow("No run");
    expect(chunks.at(-1)).toBe(sseFrame({ event: "error", data: { error: { code: "run_not_found", message: "No run", status: 404, details: { run_id: "x" } }, message: "No run", error_type: "run_not_found" } }));
  });
});

describe("NDJSON", () => {
  it("sends one JSON value per line", async () => {
    async function* values(): AsyncGenerator<unknown> {
      yield { sequence: 1 };
      yield { sequence: 2, text: "a\nb" };
    }
    const response = ndjsonResponse(values(), { signal: new AbortController().signal, requestId: "r1" });
    expect(response.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect((await chunksOf(response.stream)).join("")).toBe('{"sequence":1}\n{"sequence":2,"text":"a\\nb"}\n');
  });
});

describe("Last-Event-ID", () => {
  it("is the sequence number a reconnecting client sends; anything else is ignored", () => {
    expect(lastEventId({ "last-event-id": "42" })).toBe(42);
    expect(lastEventId({ "last-event-id": " 7 " })).toBe(7);
    expect(lastEventId({ "last-event-id": "x" })).toBeUndefined();
    expect(lastEventId({})).toBeUndefined();
  });
});
