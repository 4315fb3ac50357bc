/**
 * A run's bookkeeping (its record and event writes, the cancel watcher's reads) runs outside the
 * async context of the request that started it: those S3 calls overlap the run and are not what
 * the request waits on, so they must not count as the request's transient waits (which decide a
 * 504's Retry-After) nor see its other context (the workspace of its s3 inputs, its image budget).
 * This is the context at this module's load, before any request: no store of any
 * AsyncLocalStorage is set in it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const detached: <R>(fn: () => R) => R = AsyncLocalStorage.snapshot();
