/**
 * The Distributed Map's worker (packages/batch: createBatchWorker): one batch of images per
 * invocation, within the deadline its Lambda context gives. The S3 client, stores, model runtime
 * and engine are built once, by this factory, and serve every batch the handler is handed.
 */
import { createWorkflowEngine } from "@cvflow/blocks";
import { createBatchWorker, FaultInjector, S3BatchJobStore, type WorkerEvent, type WorkerReport } from "@cvflow/batch";
import { S3BlobStore } from "@cvflow/store";
import { createVisionModels } from "@cvflow/vision";
import type { Context } from "aws-lambda";
import { deploymentEgress } from "../egress.js";
import { extraBlocks } from "../http/extra-blocks.js";
import { imageUrlPolicy } from "../http/image-url-policy.js";
import type { BatchConfig } from "./config.js";
import { batchS3Client } from "./s3-client.js";

export async function createWorkerHandler(config: BatchConfig): Promise<(event: WorkerEvent, context: Context) => Promise<WorkerReport>> {
  const client = batchS3Client(config);
  const url = await imageUrlPolicy(client, config.s3Endpoint, config.bucket, config.urlAllowHosts);
  const models = createVisionModels({ modelsDir: config.modelsDir });
  return createBatchWorker({
    client,
    jobs: new S3BatchJobStore(client, config.bucket),
    blobs: new S3BlobStore(client, config.bucket),
    engine: createWorkflowEngine({ models, blocks: await extraBlocks(config.blocksModule), egress: deploymentEgress(config, url) }),
    models,
    url,
    faults: FaultInjector.fromJson(config.faults),
  });
}
