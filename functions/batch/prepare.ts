/** The state machine's Prepare step (packages/batch: createPrepare); the engine here only compiles, so no models are loaded. */
import { createWorkflowEngine } from "@cvflow/blocks";
import { createPrepare, S3BatchJobStore, type PreparedJob, type PrepareInput } from "@cvflow/batch";
import { createS3Client, S3WorkflowStore } from "@cvflow/store";
import { extraBlocks } from "../http/extra-blocks.js";
import type { BatchConfig } from "./config.js";

export async function createPrepareHandler(config: BatchConfig): Promise<(input: PrepareInput) => Promise<PreparedJob>> {
  const client = createS3Client({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials });
  return createPrepare({
    client,
    jobs: new S3BatchJobStore(client, config.bucket),
    workflows: new S3WorkflowStore(client, config.bucket),
    engine: createWorkflowEngine({ blocks: await extraBlocks(config.blocksModule) }),
  });
}
