/**
 * The service's one entry point: an HttpRequest in, an HttpResponse out, whatever carried it. In
 * order: the body's size (413), an identical request that overran a moment ago (its 504 again,
 * at once), the JSON body (400), what to do with a large response (400 when asked for wrongly),
 * the deadline; then the route (404, 405), its use case within the deadline, and the response
 * fitted to the size limit (images offloaded, or 413); a route's bytes (the page's files) go out
 * as they are, in base64 for the adapter. Any failure becomes the error envelope (in
 * the matched route's own shape when it has one: a dialect's), a 504 first told whether a retry
 * may succeed. A multipart/form-data body is not parsed here: its route reads the bytes. Every
 * answer carries the request id and is JSON, but a route's bytes and a route's stream (SSE,
 * NDJSON: event-stream.ts), which goes out as it is made: not fitted, not serialized, past the deadline (it follows
 * `streamSignal`). A failure before the stream is returned is an ordinary JSON error; one inside
 * it is logged and ends it. Where the deployment cannot stream, a finite stream is sent whole and
 * any other is a 501 `streaming_unavailable`.
 */
import { WorkflowError } from "@cvflow/engine";
import type { BlobStore } from "@cvflow/store";
import { LARGE_RESPONSE_HEADER } from "@cvflow/wire";
import { DeadlineRetries, type Attempt } from "./deadline-retries.js";
import { startDeadline, withinDeadline } from "./deadline.js";
import { errorResponse, streamingUnavailable } from "./errors.js";
import { fitResponse } from "./fit-response.js";
import type { HttpRequest, HttpResponse, Route, StreamingHttpResponse } from "./http.js";
import { parseJsonBody } from "./json-body.js";
import { chooseLargeResponse } from "./large-response-choice.js";
import type { HttpLimits } from "./limits.js";
import { checkRequestSize } from "./request-limit.js";
import { Router } from "./router.js";
import { TransientWaitLedger, withTransientWaitLedger } from "./transient-wait-ledger.js";

/** Where failures are told: Powertools' Logger fits, and so does `console`. */
export interface ServiceLogger {
  /** A known failure answered with a 5xx. */
  warn(message: string, attributes: Record<string, unknown>): void;
  /** A failure nobody expected (a bug, an outage): its stack goes here, never into the response. */
  error(message: string, error: Error): void;
}

export interface HandleOptions {
  limits: HttpLimits;
  /** Where large responses' images go. */
  blobs: BlobStore;
  logger: ServiceLogger;
  /**
   * Set when this deployment cannot stream responses (a Function URL in BUFFERED mode): why, in
   * words for the caller. Streaming routes then answer 501 `streaming_unavailable` with it.
   */
  streamingUnavailable?: string;
}

export function createHandle(routes: readonly Route[], options: HandleOptions): (request: HttpRequest) => Promise<HttpResponse> {
  const { limits, logger } = options;
  const router = new Router(routes);
  const retries = new DeadlineRetries();
  const responseLimit = { maxBytes: limits.maxResponseBytes, offload: limits.offloadLargeResponses, blobs: options.blobs };

  async function answer(request: HttpRequest): Promise<HttpResponse> {
    const { requestId } = request;
    const headers = lowerCaseNames(request.headers);
    let attempt: Attempt | undefined;
    let route: Route | undefined;
    try {
      checkRequestSize(request.body, limits.maxRequestBytes);
      attempt = retries.start({ method: request.method, path: request.path, query: request.query, authorization: headers["authorization"], body: request.body });
      // A multipart body (Dify's file upload) reaches its route as bytes; every other body is JSON.
      const body = isMultipart(headers["content-type"]) ? request.body : parseJsonBody(request.body);
      const choice = chooseLargeResponse(headers[LARGE_RESPONSE_HEADER.toLowerCase()], body);
      const deadline = startDeadline(limits, request.remainingTimeMs?.(), request.signal);
      const matched = router.match(request.method, request.path);
      route = matched.route;
      const params = matched.params;
      const streamSignal = streamEnd(limits.deadlineMarginMs, request.remainingTimeMs, request.signal);
      const routed = {
        pathParameters: params,
        query: queryParameters(request.query),
        headers,
        body,
        signal: deadline.signal,
        deadlineAt: deadline.at,
        streamSignal,
        requestId,
        ...(options.streamingUnavailable === undefined ? {} : { streamingUnavailable: options.streamingUnavailable }),
      };
      const answered = await withinDeadline(route.handler(routed), deadline);
      if (answered.stream) {
        if (options.streamingUnavailable === undefined) return streamed(answered.statusCode, answered.headers, answered.stream, requestId, logger);
        if (!answered.finite) {
          stopStream(answered.stream);
          throw streamingUnavailable(options.streamingUnavailable);
        }
        const text = await withinDeadline(streamText(answered.stream), deadline);
        return { statusCode: answered.statusCode, headers: { ...answered.headers, "x-request-id": requestId }, body: text };
      }
      if (answered.bytes) return bytesResponse(answered.statusCode, answered.headers, answered.bytes, requestId);
      const response = await fitResponse(answered, choice, requestId, responseLimit);
      return json(response.statusCode, response.headers ?? {}, response.body, requestId);
    } catch (thrown) {
      const error = retries.settle(thrown, attempt, requestId);
      const { statusCode, headers: errorHeaders, body } = errorResponse(error, requestId);
      if (!(error instanceof WorkflowError)) logger.error("Unexpected error", error as Error);
      else if (statusCode >= 500) logger.warn(error.message, { code: error.code, details: error.details });
      const shape = (route ?? routeOf(router, request))?.errorBody;
      return json(statusCode, errorHeaders ?? {}, shape ? shape(body) : body, requestId);
    }
  }

  // Each request keeps its own ledger of transient waits, for the 504's retry advice.
  return (request) => withTransientWaitLedger(new TransientWaitLedger(), () => answer(request));
}

function json(statusCode: number, headers: Record<string, string>, body: unknown, requestId: string): HttpResponse {
  return { statusCode, headers: { ...headers, "content-type": "application/json; charset=utf-8", "x-request-id": requestId }, body: JSON.stringify(body) };
}

/** Bytes as a Lambda result carries them: base64, flagged (the adapters send the bytes). */
function bytesResponse(statusCode: number, headers: Record<string, string>, bytes: Uint8Array, requestId: string): HttpResponse {
  return { statusCode, headers: { ...headers, "x-request-id": requestId }, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"), isBase64Encoded: true };
}

function streamed(statusCode: number, headers: Record<string, string>, stream: AsyncIterable<string>, requestId: string, logger: ServiceLogger): StreamingHttpResponse {
  async function* logged(): AsyncGenerator<string> {
    try {
      yield* stream;
    } catch (error) {
      // The stream's last chunk told the caller (event-stream.ts); the status is long sent.
      if (!(error instanceof WorkflowError)) logger.error("Unexpected error in a streamed response", error as Error);
      else if (error.status >= 500) logger.warn(error.message, { code: error.code, details: error.details });
    }
  }
  return { statusCode, headers: { ...headers, "x-request-id": requestId }, stream: logged() };
}

async function streamText(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

/** A stream that will not be sent: a generator not yet started finishes at once. */
function stopStream(stream: AsyncIterable<string>): void {
  stream[Symbol.asyncIterator]().return?.().catch(() => {});
}

/** When a stream must end: the caller leaving, or its remaining time less the margin (none without one). */
function streamEnd(marginMs: number, remainingTimeMs: (() => number) | undefined, callerSignal: AbortSignal | undefined): AbortSignal {
  const signals = [...(callerSignal ? [callerSignal] : []), ...(remainingTimeMs ? [AbortSignal.timeout(Math.max(0, remainingTimeMs() - marginMs))] : [])];
  return signals.length === 0 ? new AbortController().signal : AbortSignal.any(signals);
}

/** The route a request matches, if any: whose error shape a failure before routing takes. */
function routeOf(router: Router, request: HttpRequest): Route | undefined {
  try {
    return router.match(request.method, request.path).route;
  } catch {
    return undefined;
  }
}

function isMultipart(contentType: string | undefined): boolean {
  return contentType !== undefined && /^multipart\/form-data\s*;/i.test(contentType);
}

function lowerCaseNames(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name.toLowerCase()] = value;
  return result;
}

/** Decoded, a repeated name's values joined by commas (as a Function URL hands them to a function). */
function queryParameters(query: string): Record<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) values.set(name, values.has(name) ? `${values.get(name)},${value}` : value);
  return Object.fromEntries(values);
}
