/**
 * A Function URL event (payload v2) as the service's HttpRequest, and its HttpResponse as the
 * buffered result: the path and query as sent, the body's bytes (base64 when the event says so),
 * the invocation's request id and remaining time. Cookies are not read: no route uses them.
 */
import type { HttpRequest, HttpResponse } from "@cvflow/service";
import type { Context } from "aws-lambda";
import type { ApiEvent, ApiResult } from "./types.js";

export function httpRequest(event: ApiEvent, context: Context): HttpRequest {
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.rawQueryString ?? "",
    headers: event.headers ?? {},
    ...(event.body === undefined ? {} : { body: Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8") }),
    requestId: context.awsRequestId,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  };
}

export function lambdaResult(response: HttpResponse): ApiResult {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}
