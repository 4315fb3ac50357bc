/**
 * streamEvents over real HTTP on loopback against an SSE server that misbehaves on purpose: drops
 * the connection (between events and in the middle of one), ends early, goes silent, refuses. The
 * run's real routes are exercised in runs.test.ts; here what is tested is the client's resuming.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CvflowClient, CvflowError, type RunEvent } from "../src/index.js";

const RUN = "run_test";
const at = "2026-01-01T00:00:00.000Z";
/** A run's whole log: queued, started, three steps, finished. */
const LOG: RunEvent[] = [
  { runId: RUN, sequence: 1, at, type: "run_queued" },
  { runId: RUN, sequence: 2, at, type: "run_started", attempt: 1 },
  { runId: RUN, sequence: 3, at, type: "step_started", step: "a", block: "x" },
  { runId: RUN, sequence: 4, at, type: "step_finished", step: "a", block: "x", durationMs: 3, elements: 1, skipped: 0 },
  { runId: RUN, sequence: 5, at, type: "step_started", step: "b", block: "x" },
  { runId: RUN, sequence: 6, at, type: "run_finished", status: "succeeded", elapsedMs: 9 },
];

const frame = (event: RunEvent) => `id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

let server: Server | undefined;
const requests: { path: string; headers: IncomingHttpHeaders }[] = [];

/** Each connection is answered by the next handler (the last one repeats), told what to send after the client's Last-Event-ID. */
async function serve(...handlers: ((response: ServerResponse, after: RunEvent[]) => void)[]): Promise<CvflowClient> {
  requests.length = 0;
  server = createServer((request, response) => {
    requests.push({ path: request.url!, headers: request.headers });
    const after = Number(request.headers["last-event-id"] ?? 0);
    const handler = handlers[Math.min(requests.length - 1, handlers.length - 1)]!;
    handler(response, LOG.filter((e) => e.sequence > after));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return new CvflowClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "cvf_test", timeoutMs: 1_000 });
}

const open = (response: ServerResponse) => response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
/** Sends every event left, with a heartbeat comment between, and ends. */
const whole = (response: ServerResponse, after: RunEvent[]) => {
  open(response);
  response.end(after.map((e) => `: ping\n\n${frame(e)}`).join(""));
};

async function collect(client: CvflowClient, options = {}): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of client.streamEvents(RUN, options)) seen.push(event.sequence);
  return seen;
}

async function stop(): Promise<void> {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
}

afterEach(stop);

describe("streamEvents", () => {
  it("reads a run's events until run_finished, sending the key and asking for SSE", async () => {
    const client = await serve(whole);
    expect(await collect(client)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(`/runs/${RUN}/events`);
    expect(requests[0]!.headers).toMatchObject({ accept: "text/event-stream", authorization: "Bearer cvf_test" });
    expect(requests[0]!.headers["last-event-id"]).toBeUndefined();
  });

  it("reads as well where timers have no refresh(), as in browsers (their timers are numbers)", async () => {
    const nodeSetTimeout = globalThis.setTimeout;
    const withoutRefresh = (timer: NodeJS.Timeout) => new Proxy(timer, { get: (target, key) => (key === "refresh" ? undefined : Reflect.get(target, key, target)) });
    vi.stubGlobal("setTimeout", (...args: Parameters<typeof setTimeout>) => withoutRefresh(nodeSetTimeout(...args)));
    try {
      const client = await serve(whole);
      expect(await collect(client)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(requests).toHaveLength(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("resumes after a connection dropped between events and one dropped inside an event: each event once, in order", async () => {
    const client = await serve(
      (response, after) => {
        open(response);
        response.write(after.slice(0, 2).map(frame).join(""), () => response.destroy());
      },
      (response, after) => {
        open(response);
        // Event 3 whole, then half of event 4: the half must never be given.
        response.write(frame(after[0]!) + frame(after[1]!).slice(0, 20), () => response.destroy());
      },
      whole,
    );
    expect(await collect(client)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requests.map((r) => r.headers["last-event-id"])).toEqual([undefined, "2", "3"]);
  });

  it("starts after `after`, and reopens a stream the server ended before the run's end", async () => {
    const client = await serve((response, after) => {
      open(response);
      response.end(frame(after[0]!));
    });
    expect(await collect(client, { after: 3 })).toEqual([4, 5, 6]);
    expect(requests.map((r) => r.headers["last-event-id"])).toEqual(["3", "4", "5"]);
  });

  it("with follow: false, reads what the server sends and ends with its stream", async () => {
    const client = await serve((response, after) => {
      open(response);
      response.end(after.slice(0, 2).map(frame).join(""));
    });
    expect(await collect(client, { follow: false })).toEqual([1, 2]);
    expect(requests.map((r) => r.path)).toEqual([`/runs/${RUN}/events?follow=false`]);
  });

  it("reopens a connection that stays silent past the client's timeout", async () => {
    const client = await serve((response, after) => {
      open(response);
      response.write(frame(after[0]!)); // and nothing more, not even a heartbeat
    }, whole);
    expect(await collect(client)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requests.map((r) => r.headers["last-event-id"])).toEqual([undefined, "1"]);
  });

  it("keeps reopening streams the server ends quietly (a waiting run outliving the API's invocations), past maxReconnects", async () => {
    let quietEnds = 4;
    const client = await serve((response, after) => {
      if (quietEnds-- === 0) return whole(response, after);
      open(response);
      response.end("retry: 1\n\n: heartbeat\n\n");
    });
    expect(await collect(client, { maxReconnects: 1 })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requests).toHaveLength(5);
  });

  it("gives up with network_error after maxReconnects failed reconnections in a row", async () => {
    const client = await serve((response) => response.destroy());
    const error = await collect(client, { maxReconnects: 3, reconnectDelayMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CvflowError);
    expect((error as CvflowError).code).toBe("network_error");
    expect((error as CvflowError).message).toContain("failed 4 times in a row after event 0");
    expect(requests).toHaveLength(4);
  });

  it("throws the API's error at once (no retry of a 404)", async () => {
    const client = await serve((response) => {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "run_not_found", message: "No run run_test", status: 404, details: {} } }));
    });
    const error = (await collect(client).catch((e: unknown) => e)) as CvflowError;
    expect([error.code, error.status]).toEqual(["run_not_found", 404]);
    expect(requests).toHaveLength(1);
  });

  it("retries after a 5xx error frame, and throws a 4xx one", async () => {
    const errorFrame = (status: number, code: string) => `event: error\ndata: ${JSON.stringify({ error: { code, message: code, status, details: {} } })}\n\n`;
    let client = await serve((response, after) => {
      open(response);
      response.end(frame(after[0]!) + errorFrame(500, "internal_error"));
    }, whole);
    expect(await collect(client, { reconnectDelayMs: 1 })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(requests).toHaveLength(2);

    await stop();
    client = await serve((response, after) => {
      open(response);
      response.end(frame(after[0]!) + errorFrame(403, "forbidden"));
    });
    const error = (await collect(client).catch((e: unknown) => e)) as CvflowError;
    expect([error.code, error.status]).toEqual(["forbidden", 403]);
    expect(requests).toHaveLength(1);
  });

  it("closes the connection when the caller stops reading, and ends quietly when its signal fires", async () => {
    let closed!: Promise<void>;
    const client = await serve((response, after) => {
      closed = new Promise((resolve) => response.on("close", resolve));
      open(response);
      response.write(frame(after[0]!));
    });
    for await (const event of client.streamEvents(RUN)) {
      expect(event.sequence).toBe(1);
      break;
    }
    await closed; // resolves only if the client closed it: the server never ends this response

    const controller = new AbortController();
    const seen: number[] = [];
    for await (const event of client.streamEvents(RUN, { signal: controller.signal })) {
      seen.push(event.sequence);
      controller.abort();
    }
    expect(seen).toEqual([1]);
  });
});
