/**
 * Batch jobs: the job model, the steps of the state machine, the use cases of the routes. The state
 * machine's definition is `@cvflow/batch/definition` (src/definition.ts); @cvflow/local runs it on one machine.
 */
export { BATCH_ERRORS, type BatchErrorCode, batchNotConfigured, invalidJob, resultsOutsideBucket, type JobIssue } from "./errors.js";
export { parseJob, JOB_LIMITS, type BatchJob, type JobInput, type JobWorkflow, type AggregationFormat } from "./job.js";
export { resolveJobWorkflow, type ResolvedWorkflow } from "./job-workflow.js";
export { batchKeys, jobOfJobKey, JOB_ID, BATCHES_PREFIX, RESULTS_FILE, FAILURE_FILE, FAILURES_FILE, SUMMARY_FILE, aggregatedFile } from "./layout.js";
export { parseS3Url, type S3Location } from "./s3-location.js";
export { S3BatchJobStore } from "./job-store.js";
export { isFinished, type JobState, type JobStatus } from "./status.js";
export type { ManifestItem } from "./manifest.js";
export { listImages, IMAGE_EXTENSIONS } from "./list-images.js";
export { listOutputDocuments, type OutputDocuments } from "./output-listing.js";
export { createPrepare, JobRefused, type PrepareInput, type PreparedJob, type PrepareDependencies } from "./prepare.js";
export { createBatchWorker, type WorkerEvent, type WorkerReport, type WorkerDependencies, type DeadlineContext } from "./worker.js";
export { createFinalize, type FinalizeOutput, type FinalizeDependencies } from "./finalize.js";
export { FINALIZE_CHUNK, FINALIZE_READS_IN_FLIGHT } from "./finalize-aggregation.js";
export type { FinalizeInput, JobSummary, MapRunResult, VideoSummary } from "./finalize-shapes.js";
export { createTrigger, type TriggerResult } from "./trigger.js";
export { TransientError, isTransient } from "./transient-error.js";
export { TRANSIENT_ERROR } from "./definition.js";
export { FaultInjector, type FaultSpec } from "./fault-injector.js";
export { batchExecutions, registerLocalExecutions, executionName, executionArn, SfnBatchExecutions, type BatchExecutions, type BatchExecutionInput } from "./executions.js";
export { BatchJobs, type BatchJobsOptions, type ResultFile } from "./batch-jobs.js";
export * from "./output/index.js";
