/** The state machine's Prepare step (packages/batch: createPrepare); the engine here only compiles, so no models are loaded. */
import { createWorkflowEngine } from "@cvflow/blocks";
import { createPrepare, S3BatchJobStore, type PreparedJob, type PrepareInput } from "@cvflow/batch";
import { S3WorkflowStore } from "@cvflow/store";
import { extraBlocks } from "../http/extra-blocks.js";
import type { BatchConfig } from "./config.js";
import { batchS3Client } from "./s3-client.js";

export async function createPrepareHandler(config: BatchConfig): Promise<(input: PrepareInput) => Promise<PreparedJob>> {
  const client = batchS3Client(config);
  return createPrepare({
    client,
    jobs: new S3BatchJobStore(client, config.bucket),
    workflows: new S3WorkflowStore(client, config.bucket),
    engine: createWorkflowEngine({ blocks: await extraBlocks(config.blocksModule) }),
  });
}
