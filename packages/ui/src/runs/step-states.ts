/**
 * A run's events → the state of each of its steps, as the graph lights them (DOM-free, tested in
 * packages/ui/test). Each attempt starts afresh: a retry's `run_started` clears the previous
 * attempt's states, and the steps it takes from checkpoints come back as `step_finished` with
 * `reused: true`.
 */
import type { RunEvent } from "@cvflow/wire";
import type { StepState } from "../graph/graph-text.js";

export type StepStates = ReadonlyMap<string, StepState>;

export const NO_STEP_STATES: StepStates = new Map();

/** The states after one more event; the map given is left as it is. */
export function reduceStepStates(states: StepStates, event: RunEvent): StepStates {
  const next = new Map(states);
  switch (event.type) {
    case "run_started":
      return NO_STEP_STATES;
    case "step_started":
      next.set(event.step, { status: "running" });
      break;
    case "step_finished": {
      // Flow control skipped every element the step had (it ran none): the graph greys it out.
      const skippedAll = event.elements === 0 && event.skipped > 0;
      next.set(event.step, { status: skippedAll ? "skipped" : "succeeded", durationMs: event.durationMs, ...(event.reused ? { reused: true } : {}) });
      break;
    }
    case "step_failed":
      next.set(event.step, { status: "failed", durationMs: event.durationMs });
      break;
    case "input_required":
      next.set(event.request.step, { status: "waiting" });
      break;
    case "input_received":
      next.set(event.step, { status: "running" });
      break;
    case "run_finished":
      // A run that did not succeed stopped the steps still going (a failed one's step has its step_failed).
      if (event.status === "succeeded") return states;
      for (const [step, state] of next) {
        if (state.status === "running" || state.status === "waiting") next.set(step, { status: "cancelled" });
      }
      break;
    case "run_queued":
      return states;
  }
  return next;
}

export function stepStatesOf(events: readonly RunEvent[]): StepStates {
  return events.reduce(reduceStepStates, NO_STEP_STATES);
}
