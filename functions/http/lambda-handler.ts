/**
 * The API's Lambda handler: a Function URL event translated to the service's `handle` and its
 * answer back (function-url.ts), inside the Powertools Logger's Lambda context with one log line
 * per request. Every product rule — routes, limits, deadline, errors — is the service's.
 *
 * In RESPONSE_STREAM mode the handler is wrapped by Lambda's `awslambda.streamifyResponse`
 * (through middy's streamify execution mode): status and headers go first as the stream's
 * prelude, then the body, written chunk by chunk when the route streams. The `awslambda` global
 * exists only in Lambda's Node.js runtime (and in the local gateway, which plays that runtime).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Service } from "@cvflow/service";
import middy from "@middy/core";
import { executionModeStreamifyResponse } from "@middy/core/StreamifyResponse";
import type { Context } from "aws-lambda";
import { httpRequest, lambdaResult, streamedResult } from "./function-url.js";
import { requestLog } from "./request-log.js";
import type { ApiEvent, ApiResult, InvokeMode, StreamedApiResult } from "./types.js";

/**
 * `afterResponse`: work the answer does not wait for but the invocation must finish (a sync run's
 * final record and events): in RESPONSE_STREAM mode it runs once the response has ended, so the
 * client has its answer first; in BUFFERED mode, before the result is returned.
 */
export function lambdaHandler(service: Pick<Service, "handle">, logger: Logger, mode: InvokeMode = "BUFFERED", afterResponse: () => Promise<void> = async () => {}) {
  return mode === "RESPONSE_STREAM" ? streamingHandler(service, logger, afterResponse) : bufferedHandler(service, logger, afterResponse);
}

function bufferedHandler(service: Pick<Service, "handle">, logger: Logger, afterResponse: () => Promise<void>) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog<ApiResult>(logger))
    .handler(async (event, context) => {
      const result = lambdaResult(await service.handle(httpRequest(event, context)));
      await settle(afterResponse, logger);
      return result;
    });
}

function streamingHandler(service: Pick<Service, "handle">, logger: Logger, afterResponse: () => Promise<void>) {
  if (!hasStreamingRuntime()) {
    throw new Error(
      "CVFLOW_INVOKE_MODE is RESPONSE_STREAM, but this process has no `awslambda` global: only Lambda's Node.js runtime (or the local gateway) provides it. Use CVFLOW_INVOKE_MODE=BUFFERED elsewhere.",
    );
  }
  // middy's requestEnd runs after the body has been piped into the response stream and the stream ended.
  return middy<ApiEvent, StreamedApiResult, Error, Context>({ executionMode: executionModeStreamifyResponse, requestEnd: () => settle(afterResponse, logger) })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog<StreamedApiResult>(logger))
    .handler(async (event, context) => {
      const caller = new AbortController();
      return streamedResult(await service.handle(httpRequest(event, context, caller.signal)), caller);
    });
}

/** Whether Lambda's streaming runtime is here: its `awslambda` global (typed by @types/aws-lambda, but present only at run time on Lambda). */
function hasStreamingRuntime(): boolean {
  const runtime = (globalThis as { awslambda?: Partial<typeof awslambda> }).awslambda;
  return typeof runtime?.streamifyResponse === "function" && typeof runtime.HttpResponseStream?.from === "function";
}

/** Runs the after-response work; a failure is logged, never the request's (its answer is out already). */
async function settle(afterResponse: () => Promise<void>, logger: Logger): Promise<void> {
  try {
    await afterResponse();
  } catch (error) {
    logger.error("Work after the response failed", { error: String(error) });
  }
}
