/**
 * The API's Lambda handler: a Function URL event translated to the service's `handle` and its
 * answer back (function-url.ts), inside the Powertools Logger's Lambda context with one log line
 * per request. Every product rule — routes, limits, deadline, errors — is the service's.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Service } from "@cvflow/service";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { httpRequest, lambdaResult } from "./function-url.js";
import { requestLog } from "./request-log.js";
import type { ApiEvent, ApiResult } from "./types.js";

export function lambdaHandler(service: Pick<Service, "handle">, logger: Logger) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog(logger))
    .handler(async (event, context) => lambdaResult(await service.handle(httpRequest(event, context))));
}
