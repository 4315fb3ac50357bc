/** What each run event says after its type: the CLI's `runs events` lines and the page's event log. */
import { describe, expect, it } from "vitest";
import { runEventDetail, type RunEventData } from "../src/index.js";

const ms = (value: number) => `${value} ms`;

describe("runEventDetail", () => {
  it("says each kind of event in one line, with durations written by the caller", () => {
    const events: RunEventData[] = [
      { type: "run_queued" },
      { type: "run_started", attempt: 2 },
      { type: "step_started", step: "detect", block: "roboflow_core/roboflow_object_detection_model@v2" },
      { type: "step_finished", step: "detect", block: "b", durationMs: 41, elements: 1, skipped: 0 },
      { type: "step_finished", step: "crop", block: "b", durationMs: 3, elements: 2, skipped: 1, reused: true },
      { type: "step_failed", step: "classify", block: "b", durationMs: 7, error: { code: "step_failed", message: "boom" } },
      { type: "input_required", request: { step: "review", prompt: "ok?", schema: { type: "boolean" }, requestedAt: "2026-01-01T00:00:00Z" } },
      { type: "input_received", step: "review", answer: { approved: true } },
      { type: "run_finished", status: "failed", elapsedMs: 90, error: { code: "step_failed", message: "boom" } },
      { type: "run_finished", status: "succeeded", elapsedMs: 12 },
    ];
    expect(events.map((event) => runEventDetail(event, ms))).toEqual([
      "",
      "attempt 2",
      "detect (roboflow_core/roboflow_object_detection_model@v2)",
      "detect 41 ms, 1 element",
      "crop 3 ms, 2 elements, 1 skipped, reused",
      "classify 7 ms step_failed: boom",
      'review: ok? (answer schema {"type":"boolean"})',
      'review: {"approved":true}',
      "failed 90 ms step_failed: boom",
      "succeeded 12 ms",
    ]);
  });
});
