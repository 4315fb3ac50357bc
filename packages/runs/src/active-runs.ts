/**
 * The runs executing in this process, each with the controller that stops it: a cancel that
 * reaches the process running the run (locally the whole stack is one process) aborts it at
 * once; one from another process (another Lambda) is seen by the cancel watcher, which polls the
 * record for `cancelRequestedAt`.
 */
import type { RunStore } from "./run-store.js";

/** How often an executing run reads its record for a cancel asked elsewhere. */
export const CANCEL_POLL_MS = 250;

interface ActiveRun {
  controller: AbortController;
  ended: PromiseWithResolvers<void>;
}

export class ActiveRuns {
  readonly #runs = new Map<string, ActiveRun>();

  /** Registers the run; the returned function unregisters it: call it once the run's final record is written. */
  add(runId: string, controller: AbortController): () => void {
    const run = { controller, ended: Promise.withResolvers<void>() };
    this.#runs.set(runId, run);
    return () => {
      if (this.#runs.get(runId) === run) this.#runs.delete(runId);
      run.ended.resolve();
    };
  }

  /**
   * Aborts the run when it executes here: resolves once its final record is written. Undefined
   * when it does not execute here.
   */
  cancel(runId: string): Promise<void> | undefined {
    const run = this.#runs.get(runId);
    run?.controller.abort();
    return run?.ended.promise;
  }

  has(runId: string): boolean {
    return this.#runs.has(runId);
  }
}

/** The process's runs: one registry for the API's sync runs and the durable handler's runs alike. */
export const activeRuns = new ActiveRuns();

/**
 * Polls the run's record every `pollMs` and aborts `controller` once it says a cancel was asked.
 * Returns the function that stops watching. A failed read is tried again at the next tick.
 */
export function watchCancel(store: RunStore, runId: string, controller: AbortController, pollMs = CANCEL_POLL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    try {
      const record = await store.get(runId);
      if (record?.cancelRequestedAt !== undefined) controller.abort();
    } catch {
      // The store is unreachable for a moment; the next tick reads again.
    }
    if (!stopped && !controller.signal.aborted) timer = setTimeout(() => void tick(), pollMs);
  };
  timer = setTimeout(() => void tick(), pollMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
