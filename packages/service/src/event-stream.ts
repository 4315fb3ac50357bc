/**
 * Events as a streamed response: Server-Sent Events or NDJSON, made chunk by chunk as the events
 * come. SSE: `retry:` first (how long an EventSource waits before it reconnects), then per event
 * `id:` (its sequence number, what `Last-Event-ID` sends back on a reconnect), `event:` (its type)
 * and `data:` (its JSON), and a comment line every heartbeat interval while nothing else is sent,
 * so proxies keep the connection and clients know it lives. NDJSON: one JSON value per line.
 * A source that fails ends the stream with the error body (`event: error` in SSE), then throws,
 * so handle.ts logs it; the signal (the caller leaving, the function's time running out) ends
 * it quietly. The framing is a few lines of the SSE spec, so no library is used for it.
 */
import { errorResponse } from "./errors.js";
import type { StreamResponse } from "./http.js";

export interface StreamEvent {
  /** The SSE `id:`: a run's sequence number. */
  id?: number | string;
  /** The SSE `event:`; absent: a client's `message` event. */
  event?: string;
  /** Sent as JSON. */
  data: unknown;
}

export interface StreamOptions {
  /** Ends the stream (no error frame): the caller left, or the function's time is running out. */
  signal: AbortSignal;
  /** Quoted in an error frame's 5xx details. */
  requestId: string;
}

export interface SseOptions extends StreamOptions {
  /** A comment line after this long without a chunk; default 15 s. */
  heartbeatMs?: number;
  /** What is sent as the heartbeat instead of the comment line (Dify's clients expect `event: ping\n\n`). */
  heartbeat?: string;
  /** The `retry:` sent first; default 1 s. */
  retryMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_RETRY_MS = 1_000;

/** Headers that keep proxies (and nginx's `X-Accel-Buffering`) from buffering or caching the stream. */
const STREAM_HEADERS = { "cache-control": "no-cache", "x-accel-buffering": "no" };

export function sseResponse(events: AsyncIterable<StreamEvent>, options: SseOptions): StreamResponse {
  return { statusCode: 200, headers: { "content-type": "text/event-stream; charset=utf-8", ...STREAM_HEADERS }, stream: sseChunks(events, options) };
}

export function ndjsonResponse(values: AsyncIterable<unknown>, options: StreamOptions): StreamResponse {
  return { statusCode: 200, headers: { "content-type": "application/x-ndjson; charset=utf-8", ...STREAM_HEADERS }, stream: ndjsonChunks(values, options) };
}

/** The sequence number a reconnecting EventSource sends (`Last-Event-ID`); undefined when absent or not a number. */
export function lastEventId(headers: Readonly<Record<string, string>>): number | undefined {
  const value = headers["last-event-id"]?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

export function sseFrame(event: StreamEvent): string {
  const lines = [];
  if (event.id !== undefined) lines.push(`id: ${event.id}`);
  if (event.event !== undefined) lines.push(`event: ${event.event}`);
  // JSON.stringify never writes a raw line break, so the data is one `data:` line.
  lines.push(`data: ${JSON.stringify(event.data)}`);
  return `${lines.join("\n")}\n\n`;
}

async function* sseChunks(events: AsyncIterable<StreamEvent>, options: SseOptions): AsyncGenerator<string> {
  yield `retry: ${options.retryMs ?? DEFAULT_RETRY_MS}\n\n`;
  try {
    for await (const item of withHeartbeats(events, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, options.signal)) {
      yield item === HEARTBEAT ? (options.heartbeat ?? ": heartbeat\n\n") : sseFrame(item);
    }
  } catch (error) {
    yield sseFrame({ event: "error", data: errorResponse(error, options.requestId).body });
    throw error;
  }
}

async function* ndjsonChunks(values: AsyncIterable<unknown>, options: StreamOptions): AsyncGenerator<string> {
  try {
    for await (const value of untilAborted(values, options.signal)) yield `${JSON.stringify(value)}\n`;
  } catch (error) {
    yield `${JSON.stringify(errorResponse(error, options.requestId).body)}\n`;
    throw error;
  }
}

const HEARTBEAT = Symbol("heartbeat");
const ABORTED = Symbol("aborted");

/** The source's items, HEARTBEAT after each `heartbeatMs` without one, until the source ends or the signal fires. */
async function* withHeartbeats<T>(source: AsyncIterable<T>, heartbeatMs: number, signal: AbortSignal): AsyncGenerator<T | typeof HEARTBEAT> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const winner = await race(next, signal, heartbeatMs);
      if (winner === ABORTED) return;
      if (winner === HEARTBEAT) {
        yield HEARTBEAT;
        continue;
      }
      if (winner.done) return;
      yield winner.value;
      next = iterator.next();
    }
  } finally {
    stop(iterator);
  }
}

async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const winner = await race(iterator.next(), signal);
      if (winner === ABORTED || winner === HEARTBEAT || winner.done) return;
      yield winner.value;
    }
  } finally {
    stop(iterator);
  }
}

/** The next item, ABORTED when the signal fires first, HEARTBEAT when `heartbeatMs` passes first. */
function race<T>(next: Promise<IteratorResult<T>>, signal: AbortSignal, heartbeatMs?: number): Promise<IteratorResult<T> | typeof ABORTED | typeof HEARTBEAT> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<typeof ABORTED | typeof HEARTBEAT>((resolve) => {
    onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    if (heartbeatMs !== undefined) timer = setTimeout(() => resolve(HEARTBEAT), heartbeatMs);
  });
  return Promise.race([next, interrupted]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort!);
  });
}

/**
 * Tells the source to finish without waiting for it: a source suspended in an await finishes
 * when that await settles (its own signal wakes it), and the stream need not wait for that.
 */
function stop(iterator: AsyncIterator<unknown>): void {
  iterator.return?.().catch(() => {});
}
