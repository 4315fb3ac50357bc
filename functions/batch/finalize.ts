/** The state machine's Finalize step (packages/batch: createFinalize): aggregation, summary, the job's final status. */
import { createFinalize, S3BatchJobStore, type FinalizeInput, type JobSummary } from "@cvflow/batch";
import { createS3Client } from "@cvflow/store";
import type { BatchConfig } from "./config.js";

export function createFinalizeHandler(config: BatchConfig): (input: FinalizeInput) => Promise<JobSummary> {
  const client = createS3Client({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials });
  return createFinalize({ client, jobs: new S3BatchJobStore(client, config.bucket) });
}
