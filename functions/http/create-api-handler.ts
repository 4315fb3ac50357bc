/**
 * The API's Lambda handler: middy over the service's routes. Before the route: headers
 * lower-cased, request size, a repeated overrun answered at once, JSON body, what to do with a
 * large response, deadline. After it: the response size guard, then JSON out. On any error:
 * whether a 504 may be retried, then the error envelope. Around all: the Logger's Lambda context,
 * one log line, and the request's ledger of transient waits.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Service } from "@cvflow/service";
import type { BlobStore } from "@cvflow/store";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import httpRouterHandler from "@middy/http-router";
import { deadlineRetries } from "./deadline-retries.js";
import { errorEnvelope } from "./error-envelope.js";
import { jsonBody } from "./json-body.js";
import { largeResponseChoice } from "./large-response-choice.js";
import { jsonResponse } from "./json-response.js";
import { requestLimit } from "./request-limit.js";
import { RepeatedOverruns } from "./repeated-overruns.js";
import { requestLog } from "./request-log.js";
import { responseLimit } from "./response-limit.js";
import { runDeadline } from "./run-deadline.js";
import { routeNotFound, routerRoutes } from "./service-routes.js";
import { TransientWaitLedger, withTransientWaitLedger } from "./transient-wait-ledger.js";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

/** The Function URL's payload limit, both ways. */
export const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

export interface ApiHandlerOptions {
  service: Service;
  blobs: BlobStore;
  logger: Logger;
  runDeadlineMs: number;
  deadlineMarginMs: number;
  offloadLargeResponses: boolean;
  /** Default PAYLOAD_LIMIT_BYTES. */
  maxRequestBytes?: number;
  /** Default PAYLOAD_LIMIT_BYTES. */
  maxResponseBytes?: number;
}

export function createApiHandler(options: ApiHandlerOptions) {
  const { service, logger } = options;
  // http-router's types want finished results; here a route's body stays a value until jsonResponse writes it.
  const router = httpRouterHandler({ routes: routerRoutes(service.routes) as never[], notFoundResponse: routeNotFound(service.routes) }) as unknown as (
    event: ApiEvent,
    context: ApiContext,
  ) => Promise<ApiResult>;
  const chain = middy<ApiEvent, ApiResult, Error, ApiContext>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog(logger))
    .use(errorEnvelope(logger))
    .use(jsonResponse())
    .use(responseLimit({ maxBytes: options.maxResponseBytes ?? PAYLOAD_LIMIT_BYTES, offload: options.offloadLargeResponses, blobs: options.blobs }))
    .use(httpHeaderNormalizer())
    .use(requestLimit(options.maxRequestBytes ?? PAYLOAD_LIMIT_BYTES))
    .use(deadlineRetries({ overruns: new RepeatedOverruns() }))
    .use(jsonBody())
    .use(largeResponseChoice())
    .use(runDeadline({ maxMs: options.runDeadlineMs, marginMs: options.deadlineMarginMs }))
    .handler(router);
  return (event: ApiEvent, context: ApiContext): Promise<ApiResult> => withTransientWaitLedger(new TransientWaitLedger(), () => chain(event, context));
}
