/**
 * The API function made from its configuration: everything heavy — S3 client, stores, model
 * runtime, engine, service — built once, and the Lambda handler over it (lambda-handler.ts).
 * On Lambda, api.ts calls this at init with the configuration its environment gives; the local
 * stack calls it with its own.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { batchExecutions, BatchJobs, S3BatchJobStore } from "@cvflow/batch";
import { createWorkflowEngine } from "@cvflow/blocks";
import { EventLog, LambdaDurableRunner, notificationUrlCheck, RunsService, RunStore } from "@cvflow/runs";
import { createService, uploadedImages } from "@cvflow/service";
import { createS3Client, S3ApiKeyStore, S3BlobStore, S3WorkflowStore } from "@cvflow/store";
import { staticSite } from "@cvflow/ui/site";
import { createVisionModels } from "@cvflow/vision";
import { deploymentEgress } from "../egress.js";
import type { ApiConfig } from "./config.js";
import { extraBlocks } from "./extra-blocks.js";
import { imageUrlPolicy } from "./image-url-policy.js";
import { lambdaHandler } from "./lambda-handler.js";

/** What a streaming route answers (501 `streaming_unavailable`) on a function in BUFFERED mode. */
const BUFFERED_MODE =
  "This route streams its response, but this API function runs in BUFFERED invoke mode, which sends only whole responses. Deploy its Function URL with invokeMode RESPONSE_STREAM and CVFLOW_INVOKE_MODE=RESPONSE_STREAM, or read what is there without following (follow=false), which is sent whole.";

export async function createApiHandler(config: ApiConfig) {
  const client = createS3Client({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials });
  const blobs = new S3BlobStore(client, config.bucket);
  const store = new S3WorkflowStore(client, config.bucket);

  const urlPolicy = await imageUrlPolicy(client, config.s3Endpoint, config.bucket, config.urlAllowHosts);
  const engine = createWorkflowEngine({
    models: createVisionModels({ modelsDir: config.modelsDir }),
    blocks: await extraBlocks(config.blocksModule),
    images: {
      fetchS3: uploadedImages(blobs),
      url: urlPolicy,
    },
    egress: deploymentEgress(config, urlPolicy),
  });

  const batch = new BatchJobs({
    client,
    jobs: new S3BatchJobStore(client, config.bucket),
    workflows: store,
    engine,
    executions: config.stateMachineArn ? batchExecutions(config.stateMachineArn, { region: config.region }) : undefined,
  });

  const logger = new Logger({ serviceName: "cvflow-api" });
  if (!config.tokenSecret) logger.warn("CVFLOW_TOKEN_SECRET is not set: workflow tokens are disabled");

  const runs = new RunsService({
    engine,
    store: new RunStore(client, config.bucket),
    events: new EventLog(client, config.bucket),
    runner: config.runsRunner ?? (config.runsFunctionArn ? new LambdaDurableRunner({ functionArn: config.runsFunctionArn }) : undefined),
    limitMs: config.runLimitMs,
    // A webhook's URL is held to the image URLs' rules.
    checkNotificationUrl: notificationUrlCheck({ secret: config.webhookSecret, policy: urlPolicy }),
  });
  // Runs stuck past their limits (a worker gone) end at each cold start, and on an interval in a long-lived process (the local stack).
  const reap = (): void =>
    void runs.reapStuckRuns().catch((error: unknown) => {
      // A stack closing (or failing to start) stops its S3 server under a reaping that has begun: not worth a warning.
      if (!config.closed?.aborted) logger.warn("Could not reap stuck runs", { error: String(error) });
    });
  reap();
  if (config.reapRunsEveryMs) {
    const timer = setInterval(reap, config.reapRunsEveryMs).unref();
    config.closed?.addEventListener("abort", () => clearInterval(timer), { once: true });
  }

  const service = createService({
    engine,
    store,
    keys: new S3ApiKeyStore(client, config.bucket),
    blobs,
    tokenSecret: config.tokenSecret,
    cacheTtlMs: config.cacheTtlMs,
    batch,
    runs,
    ...(config.pipelines ? { pipelines: config.pipelines(engine) } : {}),
    limits: { runDeadlineMs: config.runDeadlineMs, deadlineMarginMs: config.deadlineMarginMs, offloadLargeResponses: config.offloadLargeResponses },
    logger,
    ...(config.invokeMode === "BUFFERED" ? { streamingUnavailable: BUFFERED_MODE } : {}),
    ui: staticSite(config.uiDir),
  });

  return lambdaHandler(service, logger, config.invokeMode, () => runs.drain());
}
