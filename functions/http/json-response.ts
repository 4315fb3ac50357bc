/** Writes the result's body as JSON, with its Content-Type and the request id to quote. */
import type { MiddlewareObj } from "@middy/core";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

export function jsonResponse(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    name: "jsonResponse",
    after: (request) => {
      const response = request.response;
      if (!response) return;
      request.response = { ...response, headers: jsonHeaders(response.headers, request.context.awsRequestId), body: JSON.stringify(response.body) };
    },
  };
}

export function jsonHeaders(headers: Record<string, string>, requestId: string): Record<string, string> {
  return { ...headers, "content-type": "application/json; charset=utf-8", "x-request-id": requestId };
}
