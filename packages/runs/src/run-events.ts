/**
 * A run's events: an append-only log, numbered from 1 per run. Readers resume after the last
 * sequence number they saw (SSE `Last-Event-ID`), so every reader gets every event exactly once.
 */
import type { InputRequest, RunError, RunStatus } from "./run-record.js";

export type RunEventData =
  | { type: "run_queued" }
  | { type: "run_started"; attempt: number }
  | { type: "step_started"; step: string; block: string }
  | { type: "step_finished"; step: string; block: string; durationMs: number; elements: number; skipped: number; reused?: boolean }
  | { type: "step_failed"; step: string; block: string; durationMs: number; error: RunError }
  | { type: "input_required"; request: InputRequest }
  | { type: "input_received"; step: string; answer: unknown }
  | { type: "run_finished"; status: Extract<RunStatus, "succeeded" | "failed" | "cancelled" | "timed_out">; error?: RunError; elapsedMs: number };

export type RunEventType = RunEventData["type"];

export type RunEvent = RunEventData & {
  runId: string;
  /** 1, 2, 3, ... within the run. */
  sequence: number;
  /** ISO time the event was appended. */
  at: string;
};

/** The event that ends a run's stream (a retry starts a new one after it). */
export function isFinalEvent(event: RunEvent): boolean {
  return event.type === "run_finished";
}
