/**
 * Where a job lives in the bucket (docs/batch.md):
 *
 *   batches/{job}/job.json          the job as submitted (its upload starts the state machine)
 *   batches/{job}/status.json       state, counts, timings, the current execution
 *   batches/{job}/manifest.json     [{image, source}], written by Prepare, read by the map's ItemReader
 *   batches/{job}/workflow.json     the workflow pinned by Prepare (the saved workflows it includes inlined), run by every batch
 *   batches/{job}/map-results/      the Distributed Map's ResultWriter output
 *   batches/{job}/output/           the default output prefix
 *   batches/{job}/video-steps/      a video job's per-segment cache of its replayable steps' outputs
 *   batches/{job}/video-replay/     a video job's replay between Finalize invocations (progress, parts)
 *   batches/{job}/finalize/         an image job's aggregation between Finalize invocations (progress, unsent bytes)
 *   workspaces/{ws}/batch-jobs/{job}.json   the workspace's index of its jobs (GET /batch/jobs)
 */
export const BATCHES_PREFIX = "batches/";
/** Job ids are key segments and part of execution names (at most 80 of [A-Za-z0-9_-]). */
export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;

export const RESULTS_FILE = "results.json";
export const FAILURE_FILE = "failure.json";
export const FAILURES_FILE = "failures.jsonl";
export const SUMMARY_FILE = "summary.json";
export const aggregatedFile = (format: "csv" | "jsonl"): string => `aggregated_results.${format}`;

export const batchKeys = {
  root: (job: string) => `${BATCHES_PREFIX}${job}/`,
  job: (job: string) => `${BATCHES_PREFIX}${job}/job.json`,
  status: (job: string) => `${BATCHES_PREFIX}${job}/status.json`,
  manifest: (job: string) => `${BATCHES_PREFIX}${job}/manifest.json`,
  workflow: (job: string) => `${BATCHES_PREFIX}${job}/workflow.json`,
  mapResults: (job: string) => `${BATCHES_PREFIX}${job}/map-results/`,
  output: (job: string) => `${BATCHES_PREFIX}${job}/output/`,
  videoSteps: (job: string) => `${BATCHES_PREFIX}${job}/video-steps/`,
  videoSegment: (job: string, segment: string) => `${BATCHES_PREFIX}${job}/video-steps/${segment}.jsonl.gz`,
  videoReplay: (job: string) => `${BATCHES_PREFIX}${job}/video-replay/`,
  finalize: (job: string) => `${BATCHES_PREFIX}${job}/finalize/`,
  indexEntry: (workspace: string, job: string) => `workspaces/${workspace}/batch-jobs/${job}.json`,
  index: (workspace: string) => `workspaces/${workspace}/batch-jobs/`,
};

/** The job of a `batches/{job}/job.json` key; undefined for any other key. */
export function jobOfJobKey(key: string): string | undefined {
  const match = /^batches\/([^/]+)\/job\.json$/.exec(key);
  return match && JOB_ID.test(match[1]!) ? match[1] : undefined;
}
