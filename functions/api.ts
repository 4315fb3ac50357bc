/**
 * The HTTP API's Lambda entry point (Function URL, payload v2); locally, @cvflow/local's gateway
 * calls this very handler. Everything heavy — S3 client, stores, model runtime, engine — is built
 * once per process, here at init, and shared by every request the process serves.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { batchExecutions, BatchJobs, S3BatchJobStore } from "@cvflow/batch";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createService, uploadedImages } from "@cvflow/service";
import { createS3Client, S3ApiKeyStore, S3BlobStore, S3WorkflowStore } from "@cvflow/store";
import { createVisionModels } from "@cvflow/vision";
import { apiConfig } from "./http/config.js";
import { createApiHandler } from "./http/create-api-handler.js";
import { extraBlocks } from "./http/extra-blocks.js";
import { imageUrlPolicy } from "./http/image-url-policy.js";

const config = apiConfig();
const client = createS3Client({ region: config.region, endpoint: config.s3Endpoint });
const blobs = new S3BlobStore(client, config.bucket);
const store = new S3WorkflowStore(client, config.bucket);

const engine = createWorkflowEngine({
  models: createVisionModels({ modelsDir: config.modelsDir }),
  blocks: await extraBlocks(config.blocksModule),
  images: {
    fetchS3: uploadedImages(blobs),
    url: await imageUrlPolicy(client, config.s3Endpoint, config.bucket, config.urlAllowHosts),
  },
});

const batch = new BatchJobs({
  client,
  jobs: new S3BatchJobStore(client, config.bucket),
  workflows: store,
  engine,
  executions: config.stateMachineArn ? batchExecutions(config.stateMachineArn, { region: config.region }) : undefined,
});

const service = createService({
  engine,
  store,
  keys: new S3ApiKeyStore(client, config.bucket),
  blobs,
  tokenSecret: config.tokenSecret,
  cacheTtlMs: config.cacheTtlMs,
  batch,
});

const logger = new Logger({ serviceName: "cvflow-api" });
if (!config.tokenSecret) logger.warn("CVFLOW_TOKEN_SECRET is not set: workflow tokens are disabled");

export const handler = createApiHandler({
  service,
  blobs,
  logger,
  runDeadlineMs: config.runDeadlineMs,
  deadlineMarginMs: config.deadlineMarginMs,
  offloadLargeResponses: config.offloadLargeResponses,
});
