/** What a run reports while it goes: step events (streamed to clients) and Chrome trace events. */
import type { WorkflowErrorJSON } from "./errors.js";

export type StepEvent =
  | { type: "step_started"; step: string; block: string; timestamp: number }
  | { type: "step_finished"; step: string; block: string; timestamp: number; durationMs: number; elements: number; skipped: number }
  | { type: "step_failed"; step: string; block: string; timestamp: number; durationMs: number; error: WorkflowErrorJSON };

/** One complete event of the Chrome trace format (ph "X"); times in microseconds from the run's start. As the API sends it. */
export type { TraceEvent } from "@cvflow/wire";
