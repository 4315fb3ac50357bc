/**
 * Every failure becomes `{"error": {"code", "message", "status", "details"}}` with its status,
 * whatever threw it (a use case, a middleware, the router). The stack goes to the log, never
 * into the response.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { WorkflowError } from "@cvflow/engine";
import { errorResponse } from "@cvflow/service";
import type { MiddlewareObj } from "@middy/core";
import { jsonHeaders } from "./json-response.js";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

export function errorEnvelope(logger: Logger): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    name: "errorEnvelope",
    onError: (request) => {
      const { error } = request;
      const requestId = request.context.awsRequestId;
      const { statusCode, headers, body } = errorResponse(error, requestId);
      if (!(error instanceof WorkflowError)) logger.error("Unexpected error", error as Error);
      else if (statusCode >= 500) logger.warn(error.message, { code: error.code, details: error.details });
      request.response = { statusCode, headers: jsonHeaders(headers ?? {}, requestId), body: JSON.stringify(body) };
    },
  };
}
