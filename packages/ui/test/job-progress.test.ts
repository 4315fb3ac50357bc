import type { BatchJobStatus } from "@cvflow/wire";
import { describe, expect, it } from "vitest";
import { failureSummary, jobDurationMs, jobProgress } from "../src/batch/job-progress.js";

const base: BatchJobStatus = { job: "j", workspace: "demo", state: "running", output_prefix: "s3://b/batches/j/output/", submitted_at: "2025-01-01T00:00:00.000Z", started_at: null, finished_at: null, execution: null };

describe("a batch job's progress as the page shows it", () => {
  it("has none before the images are listed, then shares of the total", () => {
    expect(jobProgress(base)).toBeNull();
    expect(jobProgress({ ...base, total: 40, done: 30, failed: 2 })).toEqual({ total: 40, done: 30, failed: 2, pending: 8, donePercent: 75, failedPercent: 5 });
    expect(jobProgress({ ...base, total: 0 })).toEqual({ total: 0, done: 0, failed: 0, pending: 0, donePercent: 0, failedPercent: 0 });
  });

  it("runs from its start to its end, or to now while it runs", () => {
    const started = { ...base, started_at: "2025-01-01T00:00:10.000Z" };
    expect(jobDurationMs(base, Date.parse("2025-01-01T00:01:00.000Z"))).toBeNull();
    expect(jobDurationMs(started, Date.parse("2025-01-01T00:00:12.500Z"))).toBe(2500);
    expect(jobDurationMs({ ...started, finished_at: "2025-01-01T00:01:15.000Z" }, Date.parse("2025-01-02T00:00:00.000Z"))).toBe(65_000);
  });

  it("says how many images failed against what the job tolerates", () => {
    expect(failureSummary({ ...base, total: 3, done: 3, failed: 0 })).toBeNull();
    expect(failureSummary({ ...base, total: 3, done: 1, failed: 2, tolerated_failure_percentage: 10 })).toBe("2 of 3 images failed (66.7 %); the job tolerates 10 %");
    expect(failureSummary({ ...base, total: 1, done: 0, failed: 1 })).toBe("1 of 1 image failed (100 %)");
  });
});
