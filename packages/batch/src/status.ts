/** `batches/{job}/status.json`: what GET /batch/jobs/{id} answers, and what only Prepare reads. */
import type { BatchJobState, BatchJobStatus } from "@cvflow/wire";

/** How a job ends (Finalize decides): @cvflow/wire's BatchJobState. */
export type JobState = BatchJobState;
export const FINISHED_STATES: readonly JobState[] = ["succeeded", "completed_with_failures", "failed", "aborted"];

export interface JobStatus extends BatchJobStatus {
  /** What the manifest was listed from (the job's `input`, hashed): Prepare keeps the manifest while it matches. */
  input_fingerprint?: string;
}

export function isFinished(status: JobStatus): boolean {
  return FINISHED_STATES.includes(status.state);
}
