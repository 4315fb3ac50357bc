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
import { ENGINE_ERRORS, WorkflowError } from "@cvflow/engine";
import { ServiceError } from "./errors.js";
import { requestDigest, RepeatedOverruns, type RequestIdentity } from "./repeated-overruns.js";
import { currentTransientWaitLedger } from "./transient-wait-ledger.js";

/**
 * A retry is worth it when transient waits took at least this share of the request's time: a
 * retry then has that much more time for the work itself. Below it, the steps used nearly all of
 * the deadline and would again.
 */
export const MIN_TRANSIENT_SHARE = 0.25;
/** The waits are over (or, a session still being made, will be shared by the retry): soon is fine. */
export const RETRY_AFTER_SECONDS = 1;

/** A request under way: what makes it the same request, and when it started. */
export interface Attempt {
  digest: string;
  at: number;
}

export class DeadlineRetries {
  /** `now`: monotonic milliseconds, the ledger's clock. */
  constructor(
    private readonly overruns = new RepeatedOverruns(),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** At the start, with the body as sent: an identical request that overran a moment ago gets its 504 again, at once. */
  start(identity: RequestIdentity): Attempt {
    const attempt = { digest: requestDigest(identity), at: this.now() };
    const overrun = this.overruns.recall(attempt.digest);
    if (overrun) {
      const message = `${overrun.message}. This same request overran its deadline less than a minute ago (request ${overrun.requestId}) with no time lost to anything a retry would skip, so it was not run again; send fewer images or a lighter workflow`;
      // The first answer's 504 again, its details (where the run was) kept.
      throw new WorkflowError("deadline_exceeded", message, ENGINE_ERRORS.deadline_exceeded, { ...overrun.details, repeated: true, first_request_id: overrun.requestId });
    }
    return attempt;
  }

  /** The error to answer with: a 504 of this attempt says whether a retry may succeed (and is remembered when it may not). */
  settle(error: unknown, attempt: Attempt | undefined, requestId: string): unknown {
    if (!attempt || !(error instanceof WorkflowError) || error.code !== "deadline_exceeded" || error.details["repeated"] === true) return error;
    const elapsedMs = this.now() - attempt.at;
    const transientMs = currentTransientWaitLedger()?.coveredMs() ?? 0;
    const retryable = transientMs >= elapsedMs * MIN_TRANSIENT_SHARE;
    const details = { ...error.details, retryable, transient_wait_ms: Math.round(transientMs) };
    const headers = error instanceof ServiceError ? error.headers : {};
    if (retryable) return new ServiceError(error.code, error.message, error.status, details, { ...headers, "retry-after": String(RETRY_AFTER_SECONDS) });
    this.overruns.remember(attempt.digest, { message: error.message, details, requestId });
    return new ServiceError(error.code, error.message, error.status, { ...details, repeated: false }, headers);
  }
}
