/** The state machine's Finalize step (packages/batch: createFinalize): aggregation, summary, the job's final status. */
import { createFinalize, S3BatchJobStore } from "@cvflow/batch";
import { createS3Client } from "@cvflow/store";
import { batchConfig } from "./batch/config.js";

const config = batchConfig();
const client = createS3Client({ region: config.region, endpoint: config.s3Endpoint });

export const handler = createFinalize({ client, jobs: new S3BatchJobStore(client, config.bucket) });
