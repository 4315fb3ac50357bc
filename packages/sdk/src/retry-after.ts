/**
 * When the client retries. The API sends `Retry-After` only where a retry can succeed (a 504
 * whose time went to a model being loaded or a slow store, say); without it a retry would fail
 * the same way and cost another run, so the client does not retry. Statuses other than 429, 503
 * and 504 are never retried.
 */
const RETRIED_STATUSES = new Set([429, 503, 504]);

/** Longer waits than this are not waited for: the error goes to the caller. */
export const MAX_RETRY_WAIT_MS = 30_000;
/** Retries of one call at most. */
export const MAX_RETRIES = 2;

/** Milliseconds to wait before retrying, or undefined when the answer is not to be retried. */
export function retryDelayMs(status: number, headers: Headers, now: number = Date.now()): number | undefined {
  if (!RETRIED_STATUSES.has(status)) return undefined;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  // delta-seconds, or an HTTP-date (RFC 9110 §10.2.3).
  const delay = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(delay) || delay > MAX_RETRY_WAIT_MS) return undefined;
  return Math.max(0, delay);
}
