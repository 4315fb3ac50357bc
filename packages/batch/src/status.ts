/** `batches/{job}/status.json`: what GET /batch/jobs/{id} answers, and what only Prepare reads. */
import { isBatchJobFinished, type BatchJobState, type BatchJobStatus } from "@cvflow/wire";

/** How a job ends (Finalize decides): @cvflow/wire's BatchJobState. */
export type JobState = BatchJobState;

export interface JobStatus extends BatchJobStatus {
  /** What the manifest was listed from (the job's `input`, hashed): Prepare keeps the manifest while it matches. */
  input_fingerprint?: string;
}

export function isFinished(status: JobStatus): boolean {
  return isBatchJobFinished(status.state);
}
