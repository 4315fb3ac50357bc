/** A job's failures.jsonl as the page lists it: the first records, and how many there are in all. */
import type { BatchFailureRecord } from "@cvflow/wire";

/** The file a job's results name for its failure records. */
export const FAILURES_FILE = "failures.jsonl";

export function parseFailures(text: string, limit: number): { shown: BatchFailureRecord[]; total: number } {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return { shown: lines.slice(0, limit).map((line) => JSON.parse(line) as BatchFailureRecord), total: lines.length };
}
