/**
 * Parses the JSON body with @middy/http-json-body-parser, whatever the Content-Type (every body
 * of this API is JSON, and `curl -d` says form-urlencoded); bad JSON is our 400 `invalid_json`,
 * JSON nested past MAX_JSON_DEPTH a 400 `too_deeply_nested`, checked before parsing (the parser's
 * reviver recurses). An empty body stays undefined.
 */
import { checkJsonTextDepth, WorkflowError } from "@cvflow/engine";
import type { MiddlewareObj } from "@middy/core";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

export function jsonBody(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  const parser = httpJsonBodyParser({ disableContentTypeCheck: true });
  return {
    name: "jsonBody",
    before: async (request) => {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined || body === "") return;
      checkJsonTextDepth(isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body, "The request body");
      try {
        await parser.before!(request as never);
      } catch (error) {
        const why = (error as Error & { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        throw new WorkflowError("invalid_json", `The request body is not valid JSON: ${why}`, 400);
      }
    },
  };
}
