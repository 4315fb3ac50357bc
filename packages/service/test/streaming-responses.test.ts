/**
 * `handle` with a route that streams: the stream goes out as it is (not JSON, not fitted to 6 MB,
 * past the deadline, with the request id), a failure before it is a JSON error, a failure inside
 * it is logged and ends it; where the deployment cannot stream, a finite stream is sent whole and
 * any other is 501 streaming_unavailable; `streamSignal` follows the caller and its remaining time.
 */
import { MemoryBlobStore } from "@cvflow/store/memory";
import { describe, expect, it } from "vitest";
import { createHandle, type HandleOptions } from "../src/handle.js";
import type { HttpRequest, Route, ServiceRequest, StreamResponse } from "../src/http.js";
import { DEFAULT_LIMITS } from "../src/limits.js";
import { streamText } from "../src/testing/index.js";

interface Logged {
  level: "warn" | "error";
  message: string;
}

function handleOf(answer: (request: ServiceRequest) => Promise<StreamResponse>, options: Partial<HandleOptions> = {}) {
  const logged: Logged[] = [];
  const seen: ServiceRequest[] = [];
  const route: Route = {
    method: "GET",
    path: "/stream",
    access: { kind: "anyone" },
    doc: { operationId: "stream", summary: "A stream", tags: ["test"], responses: {} },
    handler: (request) => {
      seen.push(request);
      return answer(request);
    },
  };
  const handle = createHandle([route], {
    limits: { ...DEFAULT_LIMITS, runDeadlineMs: 50, deadlineMarginMs: 100 },
    blobs: new MemoryBlobStore(),
    logger: { warn: (message) => logged.push({ level: "warn", message }), error: (message) => logged.push({ level: "error", message }) },
    ...options,
  });
  return { handle, logged, seen };
}

const request = (extra: Partial<HttpRequest> = {}): HttpRequest => ({ method: "GET", path: "/stream", query: "", headers: {}, requestId: "req-1", ...extra });
const textStream = (...chunks: string[]): StreamResponse => ({
  statusCode: 200,
  headers: { "content-type": "text/plain" },
  stream: (async function* () {
    yield* chunks;
  })(),
});

describe("a streamed response", () => {
  it("goes out as its chunks, with its own content type and the request id, however large", async () => {
    const large = "x".repeat(7 * 1024 * 1024);
    const { handle } = handleOf(async () => textStream("a", large, "b"));
    const response = await handle(request());
    expect(response.body).toBeUndefined();
    expect(response.headers).toEqual({ "content-type": "text/plain", "x-request-id": "req-1" });
    const chunks: string[] = [];
    for await (const chunk of response.stream!) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([1, large.length, 1]);
  });

  it("outlives the deadline: it follows streamSignal, which fires only when the caller leaves", async () => {
    const caller = new AbortController();
    const { handle, seen } = handleOf(async () => textStream("a"));
    await handle(request({ signal: caller.signal }));
    const [routed] = seen;
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the 50 ms deadline
    expect(routed!.signal.aborted).toBe(true);
    expect(routed!.streamSignal.aborted).toBe(false);
    caller.abort();
    expect(routed!.streamSignal.aborted).toBe(true);
  });

  it("ends before the caller's time runs out, keeping the margin", async () => {
    const { handle, seen } = handleOf(async () => textStream("a"));
    await handle(request({ remainingTimeMs: () => 100 })); // the margin is 100 ms: nothing is left
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(seen[0]!.streamSignal.aborted).toBe(true);
  });

  it("a failure before the stream is an ordinary JSON error", async () => {
    const { handle } = handleOf(async () => {
      throw new Error("no stream at /var/task/x.js");
    });
    const response = await handle(request());
    expect(response.statusCode).toBe(500);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(response.body!).error.code).toBe("internal_error");
  });

  it("a failure inside the stream is logged and ends it", async () => {
    const { handle, logged } = handleOf(async () => ({
      statusCode: 200,
      headers: {},
      stream: (async function* () {
        yield "first";
        throw new Error("broken");
      })(),
    }));
    const response = await handle(request());
    expect(await streamText(response.stream!)).toBe("first");
    expect(logged).toEqual([{ level: "error", message: "Unexpected error in a streamed response" }]);
  });
});

describe("a deployment that cannot stream", () => {
  const why = "This API function runs in BUFFERED invoke mode.";

  it("answers a stream that follows with 501 streaming_unavailable, saying why", async () => {
    const { handle } = handleOf(async () => textStream("a"), { streamingUnavailable: why });
    const response = await handle(request());
    expect(response.statusCode).toBe(501);
    expect(JSON.parse(response.body!).error).toEqual({ code: "streaming_unavailable", message: why, status: 501, details: { request_id: "req-1" } });
  });

  it("sends a finite stream whole, with its content type", async () => {
    const { handle } = handleOf(async () => ({ ...textStream("a", "b"), finite: true }), { streamingUnavailable: why });
    const response = await handle(request());
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.body).toBe("ab");
  });
});
