/**
 * What the run views say about a record, in one place (DOM-free, tested in packages/ui/test):
 * who started it, how long it took, which actions it allows, which step failed.
 */
import type { RunRecord, RunStatus } from "@cvflow/wire";

/** The person (Dify's `user`) or the API key (the first 16 hex digits of its SHA-256) that started the run. */
export function startedByOf(record: Pick<RunRecord, "startedBy">): string {
  const { user, keyId } = record.startedBy;
  if (user) return user;
  return keyId ? `key ${keyId}` : "anonymous";
}

/** How long the run took, or has been going (until `now`) when it has not ended. */
export function runDuration(record: Pick<RunRecord, "elapsedMs" | "startedAt" | "finishedAt">, now: number): number | undefined {
  if (record.elapsedMs !== undefined) return record.elapsedMs;
  if (!record.startedAt) return undefined;
  const end = record.finishedAt ? Date.parse(record.finishedAt) : now;
  return Math.max(0, end - Date.parse(record.startedAt));
}

/** A run that is going can be cancelled (docs/runs.md, Cancel). */
export function canCancel(status: RunStatus): boolean {
  return status === "queued" || status === "running" || status === "waiting";
}

/** A run that ended without its outputs: its record's `error` says why. */
export function endedBadly(status: RunStatus): boolean {
  return status === "failed" || status === "cancelled" || status === "timed_out";
}

/** Only an async run that ended badly can be retried (`run_not_retryable` otherwise; a sync run was its request). */
export function canRetry(record: Pick<RunRecord, "status" | "mode">): boolean {
  return record.mode === "async" && endedBadly(record.status);
}

/** The step a failed run failed at: the one whose record says so, or the step its error names. */
export function failedStepOf(record: Pick<RunRecord, "steps" | "error">): string | undefined {
  const failed = record.steps.find((step) => step.status === "failed");
  if (failed) return failed.name;
  const named = record.error?.details?.["step"];
  return typeof named === "string" ? named : undefined;
}

/** The workflow as the views name it: a saved one's id, or "inline". */
export function workflowLabel(record: Pick<RunRecord, "workflow">): string {
  return record.workflow.id ?? record.workflow.name;
}
