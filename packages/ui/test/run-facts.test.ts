import { describe, expect, it } from "vitest";
import { canCancel, canRetry, failedStepOf, runDuration, startedByOf, workflowLabel } from "../src/runs/run-facts.js";
import { RUN_STATUSES, type StepRecord } from "@cvflow/wire";

describe("what the run views say about a record", () => {
  it("who started it: Dify's user, else the key's id", () => {
    expect([{ user: "ada", keyId: "0123456789abcdef" }, { keyId: "0123456789abcdef" }, {}].map((startedBy) => startedByOf({ startedBy }))).toEqual(["ada", "key 0123456789abcdef", "anonymous"]);
  });

  it("a run's duration: its elapsed time once ended, else from its start until now", () => {
    const startedAt = "2026-01-01T00:00:00.000Z";
    expect(runDuration({ elapsedMs: 1234, startedAt }, Date.parse(startedAt) + 99_999)).toBe(1234);
    expect(runDuration({ startedAt }, Date.parse(startedAt) + 5_000)).toBe(5_000);
    expect(runDuration({}, 0)).toBeUndefined();
  });

  it("which runs may be cancelled and which retried: never both, finished successes neither, a sync run never retried", () => {
    expect(RUN_STATUSES.map((status) => `${status}:${canCancel(status) ? "cancel" : ""}${canRetry({ status, mode: "async" }) ? "retry" : ""}`)).toEqual([
      "queued:cancel", "running:cancel", "waiting:cancel", "succeeded:", "failed:retry", "cancelled:retry", "timed_out:retry",
    ]);
    expect(RUN_STATUSES.filter((status) => canRetry({ status, mode: "sync" }))).toEqual([]);
  });

  it("the step a run failed at, and the workflow's name", () => {
    const step = (name: string, status: StepRecord["status"]): StepRecord => ({ name, block: "b", status, attempts: 1 });
    expect(failedStepOf({ steps: [step("a", "succeeded"), step("b", "failed")], error: { code: "x", message: "y", details: { step: "c" } } })).toBe("b");
    expect(failedStepOf({ steps: [step("a", "succeeded")], error: { code: "x", message: "y", details: { step: "c" } } })).toBe("c");
    expect(failedStepOf({ steps: [] })).toBeUndefined();
    expect([workflowLabel({ workflow: { workspace: "demo", id: "detect-crop-classify", name: "detect-crop-classify" } }), workflowLabel({ workflow: { name: "inline" } })]).toEqual(["detect-crop-classify", "inline"]);
  });
});
