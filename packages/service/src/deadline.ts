/**
 * The request's deadline: min(the run limit, the caller's remaining time less a margin for
 * answering). Its AbortSignal goes into the engine, which stops the run and answers 504
 * `deadline_exceeded` with the steps that had finished. `withinDeadline` is the backstop for work
 * that does not watch the signal (a block busy in a promise, a slow store call): the response
 * leaves at the deadline anyway, and that work finishes, unobserved, in the background.
 */
import { deadlineExceeded } from "@cvflow/engine";
import type { HttpLimits } from "./limits.js";

/** When the request must be answered by. */
export interface Deadline {
  /** Fires at the deadline (or when the caller gives up). */
  signal: AbortSignal;
  /** Epoch milliseconds. */
  at: number;
}

/** Starts the request's clock; `remainingMs` is what the caller still allows (a Lambda's remaining time). */
export function startDeadline(limits: Pick<HttpLimits, "runDeadlineMs" | "deadlineMarginMs">, remainingMs = Number.POSITIVE_INFINITY, callerSignal?: AbortSignal): Deadline {
  const ms = Math.max(0, Math.min(limits.runDeadlineMs, remainingMs - limits.deadlineMarginMs));
  // AbortSignal.timeout aborts with a TimeoutError, which the engine reports as deadline_exceeded.
  const timeout = AbortSignal.timeout(ms);
  return { signal: callerSignal ? AbortSignal.any([timeout, callerSignal]) : timeout, at: Date.now() + ms };
}

/** How long past the deadline the handler's own (more detailed) 504 is awaited. */
const GRACE_MS = 50;

/** `work`, or at the deadline (plus a short grace) a 504, whichever comes first. */
export function withinDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  const { signal } = deadline;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    onAbort = () => {
      timer = setTimeout(() => reject(deadlineExceeded([], [], "The request did not finish within its deadline")), GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([work, expired]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  });
}
