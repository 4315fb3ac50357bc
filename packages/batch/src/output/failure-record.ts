/** An image that could not be processed (corrupt, missing, a workflow error): a record, never a failed job. */
import type { BatchFailureRecord } from "@cvflow/wire";

/** `{image}/failure.json`, and one line of `failures.jsonl`: @cvflow/wire's, as clients read it too. */
export type FailureRecord = BatchFailureRecord;

/** The error's own code when it has one (WorkflowError, CvflowError, Node's ENOENT…), else `internal_error`. */
export function failureRecord(name: string, source: string, error: unknown): FailureRecord {
  const code = typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string" ? (error as { code: string }).code : "internal_error";
  const message = error instanceof Error ? error.message : String(error);
  return { image: name, source, code, message };
}

export function failuresJsonl(records: readonly FailureRecord[]): string {
  return records.map((record) => `${JSON.stringify({ image: record.image, source: record.source, code: record.code, message: record.message })}\n`).join("");
}
