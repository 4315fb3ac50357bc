/**
 * The durable function of async runs, made from its configuration: S3 client, stores, model
 * runtime and engine built once, and the durable handler over them (@cvflow/runs:
 * durableRunLambdaHandler, one durable execution per run attempt). On Lambda, runs.ts calls this at init with the configuration its
 * environment gives; the local stack calls it with its own and runs the very handler on the
 * SDK's local runner.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { createWorkflowEngine } from "@cvflow/blocks";
import { serializeValue } from "@cvflow/engine";
import { durableRunLambdaHandler, durableSegment, EventLog, RunStore, webhookDelivery, type DurableLambdaHandler } from "@cvflow/runs";
import { asWorkspace, uploadedImages } from "@cvflow/service";
import { createS3Client, S3BlobStore } from "@cvflow/store";
import { createImageSerializer, createVisionModels } from "@cvflow/vision";
import { deploymentEgress } from "../egress.js";
import { extraBlocks } from "../http/extra-blocks.js";
import { imageUrlPolicy } from "../http/image-url-policy.js";
import type { RunsConfig } from "./config.js";

export async function createRunsHandler(config: RunsConfig): Promise<DurableLambdaHandler> {
  const client = createS3Client({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials });
  const blobs = new S3BlobStore(client, config.bucket);
  const urlPolicy = await imageUrlPolicy(client, config.s3Endpoint, config.bucket, config.urlAllowHosts);
  const engine = createWorkflowEngine({
    models: createVisionModels({ modelsDir: config.modelsDir }),
    blocks: await extraBlocks(config.blocksModule),
    images: { fetchS3: uploadedImages(blobs), url: urlPolicy },
    egress: deploymentEgress(config, urlPolicy),
  });
  const store = new RunStore(client, config.bucket);
  const events = new EventLog(client, config.bucket);
  // What a wait_for_input step shows goes into the record as the run's outputs would carry it (images as base64).
  const serializers = [createImageSerializer()];
  const logger = new Logger({ serviceName: "cvflow-runs" });
  return durableRunLambdaHandler({
    store,
    events,
    segment: durableSegment({
      engine,
      store,
      events,
      // s3 image inputs are the uploads of the run's workspace, as in the API's runs.
      scope: (record, run) => asWorkspace(record.workspace, run),
      serialize: (value) => serializeValue(value, { coordinatesSystem: "own" }, serializers),
    }),
    // A webhook's URL is held to the image URLs' rules, as the API checked it at the run's start.
    deliverWebhook: webhookDelivery({ store, secret: config.webhookSecret, policy: urlPolicy }),
    maxSegmentMs: config.runLimitMs,
    log: (message, error) => logger.error(message, { error: String(error) }),
  });
}
