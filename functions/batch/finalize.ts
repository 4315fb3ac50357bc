/** The state machine's Finalize step (packages/batch: createFinalize): aggregation, summary, the job's final status. */
import { createFinalize, S3BatchJobStore, type FinalizeInput, type JobSummary } from "@cvflow/batch";
import type { BatchConfig } from "./config.js";
import { batchS3Client } from "./s3-client.js";

export function createFinalizeHandler(config: BatchConfig): (input: FinalizeInput) => Promise<JobSummary> {
  const client = batchS3Client(config);
  return createFinalize({ client, jobs: new S3BatchJobStore(client, config.bucket) });
}
