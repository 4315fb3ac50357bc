/** One log line per request: method, path, status and duration (the request id comes from the Logger's Lambda context). */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj, Request } from "@middy/core";
import type { Context } from "aws-lambda";
import type { ApiEvent } from "./types.js";

/** For a streamed response, the duration is until its status and headers (the stream goes on after). */
export function requestLog<Result extends { statusCode: number }>(logger: Logger): MiddlewareObj<ApiEvent, Result, Error, Context> {
  const started = new WeakMap<object, number>();
  const log = (request: Request<ApiEvent, Result, Error, Context>): void => {
    const { method, path } = request.event.requestContext.http;
    const durationMs = Math.round(performance.now() - (started.get(request) ?? performance.now()));
    logger.info("request", { method, path, status: request.response?.statusCode, durationMs });
  };
  return {
    name: "requestLog",
    before: (request) => {
      started.set(request, performance.now());
    },
    after: log,
    onError: log,
  };
}
