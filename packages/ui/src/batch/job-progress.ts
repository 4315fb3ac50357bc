/**
 * What the batch view shows of a job's status, computed without the DOM (tested in node):
 * its progress as shares of the whole, how long it ran, and how its failures compare with what it tolerates.
 */
import type { BatchJobState, BatchJobStatus } from "@cvflow/wire";

interface JobProgress {
  total: number;
  done: number;
  failed: number;
  /** Images neither done nor failed yet. */
  pending: number;
  /** Shares of `total`, in percent (0 for a job of no images). */
  donePercent: number;
  failedPercent: number;
}

/** The job's counts, or null before it has started (its total is unknown until Prepare has listed the images). */
export function jobProgress(status: BatchJobStatus): JobProgress | null {
  if (status.total === undefined) return null;
  const total = status.total;
  const done = status.done ?? 0;
  const failed = status.failed ?? 0;
  const percent = (count: number) => (total === 0 ? 0 : (count / total) * 100);
  return { total, done, failed, pending: Math.max(total - done - failed, 0), donePercent: percent(done), failedPercent: percent(failed) };
}

/** Milliseconds from its start to its end, or to `now` while it runs; null before it started. */
export function jobDurationMs(status: BatchJobStatus, now: number): number | null {
  if (!status.started_at) return null;
  const end = status.finished_at ? Date.parse(status.finished_at) : now;
  return Math.max(end - Date.parse(status.started_at), 0);
}

/** The words for a state, as the view shows them. */
export const STATE_LABELS: Record<BatchJobState, string> = {
  submitted: "submitted",
  running: "running",
  succeeded: "succeeded",
  completed_with_failures: "completed with failures",
  failed: "failed",
  aborted: "aborted",
};

/** `2 of 3 images failed (66.7 %); the job tolerates 10 %`, or null when none failed. */
export function failureSummary(status: BatchJobStatus): string | null {
  const failed = status.failed ?? 0;
  if (failed === 0 || status.total === undefined) return null;
  const share = status.total === 0 ? 0 : Math.round((failed / status.total) * 1000) / 10;
  const tolerated = status.tolerated_failure_percentage === undefined ? "" : `; the job tolerates ${status.tolerated_failure_percentage} %`;
  return `${failed} of ${status.total} image${status.total === 1 ? "" : "s"} failed (${share} %)${tolerated}`;
}
