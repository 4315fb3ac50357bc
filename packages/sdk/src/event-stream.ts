/**
 * A run's events over SSE (GET /runs/{id}/events), as one async iterator that outlives a dropped
 * connection: it reconnects with `Last-Event-ID` set to the last sequence number it yielded, so
 * every event comes exactly once and in order, and gives up after a bounded number of failed
 * reconnections in a row (exponential backoff). A connection that brings events resets the count,
 * and so does one the server ends cleanly after its heartbeats (a run that waits for a person
 * outlives many invocations of a Lambda API).
 */
import { isRecord, type RunEvent } from "@cvflow/wire";
import { createParser } from "eventsource-parser";
import { CvflowError, networkError } from "./errors.js";
import { sleep } from "./sleep.js";
import { errorFromAnswer } from "./transport.js";

export interface StreamEventsOptions {
  /** Start after this sequence number (0, the default: from the run's first event). */
  after?: number;
  /** false: only the events the log holds now, then the iteration ends. Default true: live, to `run_finished`. */
  follow?: boolean;
  /** Ends the iteration (without an error) when it fires. */
  signal?: AbortSignal;
  /** Failed reconnections in a row before the iterator throws; default 5. */
  maxReconnects?: number;
  /** The first reconnection's wait; each further one doubles it, up to 10 s. Default 250 ms (or the server's `retry:`). */
  reconnectDelayMs?: number;
}

/** Opens the stream: the response when its status is 2xx, else the API's error as a CvflowError. */
export type OpenStream = (headers: Record<string, string>, signal: AbortSignal) => Promise<Response>;

const DEFAULT_MAX_RECONNECTS = 5;
const DEFAULT_RECONNECT_DELAY_MS = 250;
const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * `idleMs`: a connection that brings nothing (not even the server's heartbeat comments) for this
 * long is taken for dead and reopened.
 */
export async function* streamRunEvents(runId: string, open: OpenStream, idleMs: number, options: StreamEventsOptions = {}): AsyncGenerator<RunEvent> {
  const { signal } = options;
  const maxReconnects = options.maxReconnects ?? DEFAULT_MAX_RECONNECTS;
  let baseDelay = options.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS;
  let last = options.after ?? 0;
  let failures = 0;
  let lastFailure: unknown;
  while (!signal?.aborted) {
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal?.addEventListener("abort", stop, { once: true });
    const received: RunEvent[] = [];
    let failed: CvflowError | undefined;
    const parser = createParser({
      onEvent: ({ event: name, data }) => {
        // The server's last frame when reading the log failed: the API's error envelope.
        if (name === "error") failed = errorFrame(data, `GET /runs/${runId}/events`);
        const event = parseEvent(data);
        // An event at or below the last one yielded was already given (a server that resent it).
        if (event && event.sequence > last) received.push(event);
      },
      onRetry: (ms) => {
        baseDelay = ms;
      },
    });
    let progressed = false;
    let heard = false;
    // The server ended the stream having sent no event, but not nothing (`retry:`, heartbeats): a
    // waiting run's connection that reached the invocation's time limit. Not a failure.
    let quiet = false;
    try {
      const response = await open(last > 0 ? { "last-event-id": String(last) } : {}, connection.signal);
      if (response.status === 204 || !response.body) return; // nothing is left to send
      // Restarted by hand at each chunk: a browser's timer is a number, without Node's refresh().
      let idle = setTimeout(stop, idleMs);
      try {
        for await (const chunk of chunksOf(response.body.pipeThrough(new TextDecoderStream()))) {
          clearTimeout(idle);
          idle = setTimeout(stop, idleMs);
          heard = true;
          parser.feed(chunk);
          for (const event of received.splice(0)) {
            last = event.sequence;
            progressed = true;
            yield event;
            if (event.type === "run_finished") return;
          }
          if (failed) throw failed;
        }
      } finally {
        clearTimeout(idle);
      }
      if (options.follow === false) return; // the server sent what the log holds
      // The server ended the stream before the run's end (an invocation's time limit): reopen.
      quiet = !progressed && heard;
      if (!heard) lastFailure = new Error("the server ended the stream without sending anything");
    } catch (error) {
      if (signal?.aborted) return;
      if (isFinal(error)) throw error;
      lastFailure = error;
    } finally {
      signal?.removeEventListener("abort", stop);
      connection.abort();
    }
    failures = progressed || quiet ? 0 : failures + 1;
    if (failures > maxReconnects) {
      throw networkError(`GET /runs/${runId}/events: the stream failed ${failures} times in a row after event ${last}`, lastFailure);
    }
    // After events, at once; after a quiet end, the server's `retry:`; after failures, longer and longer.
    const delay = failures > 0 ? Math.min(baseDelay * 2 ** (failures - 1), MAX_RECONNECT_DELAY_MS) : quiet ? baseDelay : 0;
    if (delay > 0) {
      try {
        await sleep(delay, signal);
      } catch {
        return; // the caller's signal fired while waiting
      }
    }
  }
}

/**
 * The stream's chunks. ReadableStream is async-iterable in Node and in browsers, but the DOM's
 * typings do not say so; a reader does the same in both. Leaving early cancels the stream.
 */
async function* chunksOf<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
  } finally {
    // Not awaited: a stream whose connection was aborted rejects the cancel, and there is nothing left to do.
    reader.cancel().catch(() => undefined);
  }
}

/** An answer of the API (404, 401, ...) is final, but for those worth another try; a dropped connection is not. */
function isFinal(error: unknown): boolean {
  if (!(error instanceof CvflowError) || error.status === 0) return false;
  return error.status < 500 ? error.status !== 429 : error.status === 501;
}

/** An `event: error` frame's envelope as the error of an answer with its status (500 when it has none). */
function errorFrame(data: string, what: string): CvflowError {
  let status = 500;
  try {
    const envelope = (JSON.parse(data) as { error?: { status?: unknown } }).error;
    if (typeof envelope?.status === "number") status = envelope.status;
  } catch {
    // Not JSON: errorFromAnswer says so with an excerpt.
  }
  return errorFromAnswer(status, data, what);
}

/** The JSON of a run event; anything else (a heartbeat, a stranger's data) is not one. */
function parseEvent(data: string): RunEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  return isRecord(value) && typeof value["sequence"] === "number" && typeof value["type"] === "string" ? (value as unknown as RunEvent) : undefined;
}
