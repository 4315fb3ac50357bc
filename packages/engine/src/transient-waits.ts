/**
 * Transient waits: time a request spends on something a retry of it is not expected to spend
 * again — a model session being created (once per process), a call to the store (whose latency
 * comes and goes). Whoever waits on such a thing wraps the wait in `traceTransientWait`; the
 * waits are published on a diagnostics_channel tracing channel, so that the HTTP layer can tell,
 * when a request overruns its deadline, whether a retry could succeed, without any package in
 * between knowing of it. With no subscriber the wrapper costs nothing but the call.
 */
import { tracingChannel } from "node:diagnostics_channel";

export type TransientWaitKind = "model_session" | "store";

/** The context object the channel's start, asyncEnd and error events share for one wait. */
export interface TransientWaitContext {
  kind: TransientWaitKind;
}

export const transientWaits = tracingChannel<unknown, TransientWaitContext>("cvflow:transient-wait");

export function traceTransientWait<T>(kind: TransientWaitKind, wait: () => Promise<T>): Promise<T> {
  return transientWaits.tracePromise(wait, { kind });
}

export interface TransientWaitWatcher {
  /** When a wait starts, in the async context of whoever waits. */
  start(context: TransientWaitContext): void;
  /** When it is over, answered or failed. */
  end(context: TransientWaitContext): void;
}

/** Watches every transient wait until the returned function is called. */
export function watchTransientWaits(watcher: TransientWaitWatcher): () => void {
  const handlers = { start: watcher.start, end: () => {}, asyncStart: () => {}, asyncEnd: watcher.end, error: watcher.end };
  transientWaits.subscribe(handlers);
  return () => {
    transientWaits.unsubscribe(handlers);
  };
}
