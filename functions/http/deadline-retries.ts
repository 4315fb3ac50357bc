/**
 * Whether a client should retry a 504 `deadline_exceeded`. A retry can succeed when much of the
 * request's time went to transient waits (transient-wait-ledger.ts: a model session being
 * created, the store), which a retry does not spend again: that 504 carries `Retry-After` and
 * `details.retryable: true`. Otherwise — the workflow's own steps used the time — a retry would
 * overrun the same way: no `Retry-After`, `details.retryable: false`, and an identical request
 * within a minute (repeated-overruns.ts) gets the same 504 at once, `details.repeated: true`,
 * without running again. Roboflow's client tries a request up to three times while it gets 504,
 * whatever the headers say; this keeps that from costing three runs.
 */
import { WorkflowError } from "@cvflow/engine";
import { ServiceError } from "@cvflow/service";
import type { MiddlewareObj, Request } from "@middy/core";
import { requestDigest, type RepeatedOverruns } from "./repeated-overruns.js";
import { currentTransientWaitLedger } from "./transient-wait-ledger.js";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

/**
 * A retry is worth it when transient waits took at least this share of the request's time: a
 * retry then has that much more time for the work itself. Below it, the steps used nearly all of
 * the deadline and would again.
 */
export const MIN_TRANSIENT_SHARE = 0.25;
/** The waits are over (or, a session still being made, will be shared by the retry): soon is fine. */
export const RETRY_AFTER_SECONDS = 1;

export interface DeadlineRetriesOptions {
  overruns: RepeatedOverruns;
  /** Monotonic milliseconds; the ledger's clock. */
  now?: () => number;
}

type ApiRequest = Request<ApiEvent, ApiResult, Error, ApiContext>;

/** Before jsonBody: the digest is of the body as sent. */
export function deadlineRetries(options: DeadlineRetriesOptions): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  const now = options.now ?? (() => performance.now());
  const started = new WeakMap<ApiRequest, { digest: string; at: number }>();
  return {
    name: "deadlineRetries",
    before: (request) => {
      const { event } = request;
      const digest = requestDigest({
        method: event.requestContext.http.method,
        path: event.rawPath,
        query: event.rawQueryString ?? "",
        authorization: event.headers["authorization"],
        body: event.body,
      });
      started.set(request, { digest, at: now() });
      const overrun = options.overruns.recall(digest);
      if (overrun) {
        const message = `${overrun.message}. This same request overran its deadline less than a minute ago (request ${overrun.requestId}) with no time lost to anything a retry would skip, so it was not run again; send fewer images or a lighter workflow`;
        throw new WorkflowError("deadline_exceeded", message, 504, { ...overrun.details, repeated: true, first_request_id: overrun.requestId });
      }
    },
    onError: (request) => {
      const { error } = request;
      const start = started.get(request);
      if (!start || !(error instanceof WorkflowError) || error.code !== "deadline_exceeded" || error.details["repeated"] === true) return;
      const elapsedMs = now() - start.at;
      const transientMs = currentTransientWaitLedger()?.coveredMs() ?? 0;
      const retryable = transientMs >= elapsedMs * MIN_TRANSIENT_SHARE;
      const details = { ...error.details, retryable, transient_wait_ms: Math.round(transientMs) };
      const headers = error instanceof ServiceError ? error.headers : {};
      if (retryable) {
        request.error = new ServiceError(error.code, error.message, error.status, details, { ...headers, "retry-after": String(RETRY_AFTER_SECONDS) });
        return;
      }
      options.overruns.remember(start.digest, { message: error.message, details, requestId: request.context.awsRequestId });
      request.error = new ServiceError(error.code, error.message, error.status, { ...details, repeated: false }, headers);
    },
  };
}
