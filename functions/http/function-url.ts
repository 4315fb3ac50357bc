/**
 * A Function URL event (payload v2) as the service's HttpRequest, and its HttpResponse as the
 * result: buffered (a binary body in base64, flagged `isBase64Encoded`), or in RESPONSE_STREAM
 * mode with a streamed body piped as it comes (a binary one written as its bytes). The request
 * carries the path and query as sent, the body's bytes (base64 when the event says so), the
 * invocation's request id and remaining time. Cookies are not read: no route uses them.
 */
import { Readable } from "node:stream";
import type { HttpRequest, HttpResponse } from "@cvflow/service";
import type { Context } from "aws-lambda";
import type { ApiEvent, ApiResult, StreamedApiResult } from "./types.js";

export function httpRequest(event: ApiEvent, context: Context, signal?: AbortSignal): HttpRequest {
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.rawQueryString ?? "",
    headers: event.headers ?? {},
    ...(event.body === undefined ? {} : { body: Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8") }),
    requestId: context.awsRequestId,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
    ...(signal ? { signal } : {}),
  };
}

/**
 * A buffered function's result; the service it runs is told it cannot stream (api-handler.ts), so a
 * stream here is a bug. A binary body (the page's files) stays base64, flagged as the Function URL reads it.
 */
export function lambdaResult(response: HttpResponse): ApiResult {
  if (response.stream) throw new Error("a streamed response reached a BUFFERED function: its service must be made with streamingUnavailable");
  return { statusCode: response.statusCode, headers: response.headers, body: response.body, ...(response.isBase64Encoded ? { isBase64Encoded: true } : {}) };
}

/**
 * A RESPONSE_STREAM function's result. The stream ends early when the response stream closes
 * (the caller left, or it failed): `caller` is aborted, which the service's stream follows.
 */
export function streamedResult(response: HttpResponse, caller: AbortController): StreamedApiResult {
  if (!response.stream) {
    // A stream's prelude has no base64 flag: a binary body is written as its bytes.
    const body = response.isBase64Encoded ? Readable.from([Buffer.from(response.body, "base64")]) : response.body;
    return { statusCode: response.statusCode, headers: response.headers, body };
  }
  const body = Readable.from(response.stream, { objectMode: false });
  body.once("close", () => caller.abort());
  return { statusCode: response.statusCode, headers: response.headers, body };
}
