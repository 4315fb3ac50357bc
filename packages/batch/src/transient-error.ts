/**
 * What a retry can fix: throttling, S3 5xx and network hiccups, the worker's own deadline. The
 * state machine's `Retry` matches these by name (Lambda reports a thrown error's `name` as its
 * errorType), so that is the one thing here that must never change.
 */
import { statusOf } from "@cvflow/store";
import { TRANSIENT_ERROR } from "./definition.js";

export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The name the state machine's `Retry` matches, owned by the definition.
    this.name = TRANSIENT_ERROR;
  }
}

/** S3 answers and socket errors that mean "try again later". */
const TRANSIENT_NAMES = new Set(["SlowDown", "RequestTimeout", "RequestTimeoutException", "Throttling", "ThrottlingException", "TooManyRequestsException", "InternalError", "ServiceUnavailable", "TimeoutError"]);
const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET"]);

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== "object" || error === null) return false;
  const status = statusOf(error) ?? (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  const { name, code, $retryable } = error as { name?: unknown; code?: unknown; $retryable?: unknown };
  return Boolean($retryable) || (typeof name === "string" && TRANSIENT_NAMES.has(name)) || (typeof code === "string" && TRANSIENT_CODES.has(code));
}

/** `error` as it should leave a step: transient ones named for `Retry`, others unchanged. */
export function retryable(error: unknown, what: string): unknown {
  if (error instanceof TransientError || !isTransient(error)) return error;
  return new TransientError(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
