/**
 * Parses the JSON body with @middy/http-json-body-parser, whatever the Content-Type (every body
 * of this API is JSON, and `curl -d` says form-urlencoded); bad JSON is our 400 `invalid_json`.
 * An empty body stays undefined.
 */
import { WorkflowError } from "@cvflow/engine";
import type { MiddlewareObj } from "@middy/core";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

export function jsonBody(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  const parser = httpJsonBodyParser({ disableContentTypeCheck: true });
  return {
    name: "jsonBody",
    before: async (request) => {
      const { body } = request.event;
      if (body === undefined || body === "") return;
      try {
        await parser.before!(request as never);
      } catch (error) {
        const why = (error as Error & { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        throw new WorkflowError("invalid_json", `The request body is not valid JSON: ${why}`, 400);
      }
    },
  };
}
