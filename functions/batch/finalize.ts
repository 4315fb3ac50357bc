/**
 * The state machine's Finalize step (packages/batch: createFinalize): aggregation, summary, the
 * job's final status — and a video job's replay, which runs the workflow (its models' outputs
 * come from the segments' caches, but a step past them may still run a model, e.g. a classifier
 * on crops), hence the engine with the models. Its time left (the context) bounds a replay's part.
 */
import { createWorkflowEngine } from "@cvflow/blocks";
import { createFinalize, FaultInjector, S3BatchJobStore, type FinalizeInput, type FinalizeOutput } from "@cvflow/batch";
import { createVisionModels } from "@cvflow/vision";
import { deploymentEgress } from "../egress.js";
import { extraBlocks } from "../http/extra-blocks.js";
import { imageUrlPolicy } from "../http/image-url-policy.js";
import type { Context } from "aws-lambda";
import type { BatchConfig } from "./config.js";
import { finalizeS3Client } from "./s3-client.js";

export async function createFinalizeHandler(config: BatchConfig): Promise<(input: FinalizeInput, context: Context) => Promise<FinalizeOutput>> {
  const client = finalizeS3Client(config);
  // A video job's replay runs the workflow's sinks and other blocks that call out.
  const egress = deploymentEgress(config, await imageUrlPolicy(client, config.s3Endpoint, config.bucket, config.urlAllowHosts));
  return createFinalize({
    client,
    jobs: new S3BatchJobStore(client, config.bucket),
    engine: createWorkflowEngine({ models: createVisionModels({ modelsDir: config.modelsDir }), blocks: await extraBlocks(config.blocksModule), egress }),
    faults: FaultInjector.fromJson(config.faults),
  });
}
