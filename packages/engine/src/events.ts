/** What a run reports while it goes: step events (streamed to clients) and Chrome trace events. */
import type { WorkflowErrorJSON } from "./errors.js";

export type StepEvent =
  | { type: "step_started"; step: string; block: string; timestamp: number }
  /** `reused`: the step did not run; its checkpointed output was restored, and the timings are those of the attempt that made it. */
  | { type: "step_finished"; step: string; block: string; timestamp: number; durationMs: number; elements: number; skipped: number; reused?: true }
  | { type: "step_failed"; step: string; block: string; timestamp: number; durationMs: number; error: WorkflowErrorJSON };

/** One complete event of the Chrome trace format (ph "X"); times in microseconds from the run's start. As the API sends it. */
export type { TraceEvent } from "@cvflow/wire";
