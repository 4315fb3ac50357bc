/** `batches/{job}/status.json`: what GET /batch/jobs/{id} answers. */

/**
 * How a job ends (Finalize decides): `succeeded`, every image with results; `completed_with_failures`,
 * some images failed, no more than the job tolerates; `failed`, more failed than it tolerates (or
 * the map failed, or the job was refused); `aborted`, stopped through the API.
 */
export type JobState = "submitted" | "running" | "succeeded" | "completed_with_failures" | "failed" | "aborted";
export const FINISHED_STATES: readonly JobState[] = ["succeeded", "completed_with_failures", "failed", "aborted"];

export interface JobStatus {
  job: string;
  workspace: string;
  state: JobState;
  output_prefix: string;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Images in the manifest; set by Prepare. */
  total?: number;
  /** Images with results / with a failure record; set by Finalize (counted live while running). */
  done?: number;
  failed?: number;
  /** The share of images, in percent, that may fail before the job ends `failed`; set by Finalize. */
  tolerated_failure_percentage?: number;
  /** The execution working on the job (or that last did); abort stops it. */
  execution: string | null;
  /** What the workers of the last execution did: a resubmission processes nothing and skips all. */
  last_run?: { processed: number; skipped: number; failed: number };
  error?: { code: string; message: string };
  /** What the manifest was listed from (the job's `input`, hashed): Prepare keeps the manifest while it matches. */
  input_fingerprint?: string;
}

export function isFinished(status: JobStatus): boolean {
  return FINISHED_STATES.includes(status.state);
}
