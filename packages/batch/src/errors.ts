/**
 * Every error batch jobs throw: their codes with their HTTP statuses (BATCH_ERRORS, whose keys are
 * BatchErrorCode) and one factory per failure. The service answers the job routes with them; a
 * failed image's record (failures.jsonl) carries its error's code and message, `image_timeout`
 * among them.
 */
import { errorsOf, type ErrorStatuses, type WorkflowError } from "@cvflow/engine";

export const BATCH_ERRORS = {
  invalid_job: 400,
  job_not_found: 404,
  job_exists: 409,
  job_running: 409,
  job_finished: 409,
  results_outside_bucket: 409,
  batch_not_configured: 501,
  image_timeout: 504,
} as const satisfies ErrorStatuses;
export type BatchErrorCode = keyof typeof BATCH_ERRORS;

const batchError = errorsOf(BATCH_ERRORS);

/** One problem of a job, as `invalid_job` lists them in `details.errors`. */
export interface JobIssue {
  code: string;
  message: string;
  /** JSON pointer into the job. */
  pointer: string;
}

/** Every problem of a job at once, each at its pointer, in `details.errors`. */
export function invalidJob(issues: JobIssue[]): WorkflowError {
  const summary = issues.length === 1 ? issues[0]!.message : `The job has ${issues.length} problems; the first: ${issues[0]?.message}`;
  return batchError("invalid_job", summary, { errors: issues });
}

export function jobNotFound(job: string, workspace: string): WorkflowError {
  return batchError("job_not_found", `No batch job "${job}" in workspace "${workspace}"`, { job });
}

export function jobExists(job: string): WorkflowError {
  return batchError("job_exists", `A job "${job}" exists already`, { job });
}

/** A restart of a job not finished (`state` when known), or one restarted meanwhile. */
export function jobRunning(job: string, message: string, state?: string): WorkflowError {
  return batchError("job_running", message, state === undefined ? { job } : { job, state });
}

export function jobFinished(job: string, state: string): WorkflowError {
  return batchError("job_finished", `Job ${job} has ${state === "aborted" ? "been aborted" : state} already`, { job, state });
}

/** The results of a job whose output prefix is in another bucket: the service lends (presigns) only objects of its own. */
export function resultsOutsideBucket(job: string, outputPrefix: string, bucket: string): WorkflowError {
  return batchError("results_outside_bucket", `Job ${job} writes its results to ${outputPrefix}, outside the service's bucket ${bucket}: read them there with your own S3 credentials`, {
    job,
    output_prefix: outputPrefix,
  });
}

/** No batch state machine, or no batch jobs at all, on this deployment. */
export function batchNotConfigured(message: string): WorkflowError {
  return batchError("batch_not_configured", message);
}

export function imageTimeout(timeoutMs: number): WorkflowError {
  return batchError("image_timeout", `The image took longer than ${timeoutMs} ms`);
}
