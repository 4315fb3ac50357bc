import type { RunEvent, RunEventData } from "@cvflow/wire";
import { describe, expect, it } from "vitest";
import { reduceStepStates, stepStatesOf } from "../src/runs/step-states.js";

let sequence = 0;
const event = (data: RunEventData): RunEvent => ({ ...data, runId: "r1", sequence: ++sequence, at: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString() });
const states = (events: RunEventData[]) => Object.fromEntries(stepStatesOf(events.map(event)));
const finished = (step: string, durationMs: number, elements = 1, skipped = 0, reused?: boolean): RunEventData => ({ type: "step_finished", step, block: "b", durationMs, elements, skipped, ...(reused ? { reused } : {}) });

describe("step states from a run's events", () => {
  it("lights each step as it starts, ends, fails or is skipped by flow control, with its duration", () => {
    expect(
      states([
        { type: "run_queued" },
        { type: "run_started", attempt: 1 },
        { type: "step_started", step: "detect", block: "b" },
        finished("detect", 41.5),
        { type: "step_started", step: "crop", block: "b" },
        { type: "step_started", step: "gate", block: "b" },
        finished("gate", 3, 0, 2),
        finished("partly", 7, 1, 1),
        { type: "step_failed", step: "crop", block: "b", durationMs: 12, error: { code: "step_failed", message: "boom" } },
        { type: "step_started", step: "late", block: "b" },
        { type: "run_finished", status: "failed", elapsedMs: 90 },
      ]),
    ).toEqual({
      detect: { status: "succeeded", durationMs: 41.5 },
      gate: { status: "skipped", durationMs: 3 },
      partly: { status: "succeeded", durationMs: 7 },
      crop: { status: "failed", durationMs: 12 },
      // the run's failure stopped it
      late: { status: "cancelled" },
    });
  });

  it("a step that waits for a person is waiting, then running once answered; a cancel stops it", () => {
    const asked: RunEventData = { type: "input_required", request: { step: "review", prompt: "ok?", schema: {}, requestedAt: "2026-01-01T00:00:00Z" } };
    expect(states([{ type: "step_started", step: "review", block: "b" }, asked])).toEqual({ review: { status: "waiting" } });
    expect(states([asked, { type: "input_received", step: "review", answer: {} }])).toEqual({ review: { status: "running" } });
    expect(states([asked, { type: "run_finished", status: "cancelled", elapsedMs: 5 }])).toEqual({ review: { status: "cancelled" } });
  });

  it("a retry starts afresh: the steps it reuses come back reused, the failed one runs again", () => {
    expect(
      states([
        { type: "run_started", attempt: 1 },
        finished("detect", 40),
        { type: "step_failed", step: "crop", block: "b", durationMs: 2, error: { code: "x", message: "y" } },
        { type: "run_finished", status: "failed", elapsedMs: 50 },
        { type: "run_queued" },
        { type: "run_started", attempt: 2 },
        finished("detect", 40, 1, 0, true),
        { type: "step_started", step: "crop", block: "b" },
      ]),
    ).toEqual({ detect: { status: "succeeded", durationMs: 40, reused: true }, crop: { status: "running" } });
  });

  it("leaves the map it is given as it was, and keeps it when an event changes nothing", () => {
    const before = stepStatesOf([event({ type: "step_started", step: "a", block: "b" })]);
    const after = reduceStepStates(before, event(finished("a", 1)));
    expect(before.get("a")).toEqual({ status: "running" });
    expect(after.get("a")).toEqual({ status: "succeeded", durationMs: 1 });
    expect(reduceStepStates(after, event({ type: "run_finished", status: "succeeded", elapsedMs: 1 }))).toBe(after);
  });
});
