/**
 * Batch jobs on one machine: the deployed state-machine definition (@cvflow/batch/definition) run
 * by the local runner over the very Lambda handlers of functions/batch/*.ts, each made by its
 * factory with this stack's configuration, and the S3 server's object-created events for
 * `batches/{job}/job.json` delivered to the trigger handler as S3 notifications are — whose
 * StartExecution reaches the runner, registered under the state machine's ARN before any handler runs.
 */
import { randomUUID } from "node:crypto";
import { jobOfJobKey, registerLocalExecutions } from "@cvflow/batch";
import { BATCH_DEFAULTS, BATCH_TIMEOUTS, batchStateMachineDefinition } from "@cvflow/batch/definition";
import type { S3Client } from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";
import { loadFunctionModule, stackFunctionConfig, type FunctionConfig, type FunctionSettings } from "./function-config.js";
import { lambdaContext } from "./lambda-context.js";
import { LocalStateMachine, type LambdaHandler } from "./local-runner.js";
import type { ObjectCreatedEvent } from "./object-created.js";
import type { S3Server } from "./s3-server.js";

/** The definition's parameters, as a deployment sets them; defaults as deployed. */
export interface LocalBatchOptions {
  workerTimeoutSeconds?: number;
  batchSize?: number;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  /** Fault injection: every n-th child of a map run (the n-th, the 2n-th, …) is delivered twice at once, as Express may. */
  runTwiceEvery?: number;
}

export interface LocalBatch {
  runner: LocalStateMachine;
  stateMachineArn: string;
  close(): Promise<void>;
}

/** What functions/batch/*.ts export: the configuration's parser and one factory per function. */
interface BatchFunctions {
  config: { batchConfig(env: FunctionSettings): FunctionConfig };
  prepare: { createPrepareHandler(config: FunctionConfig): Promise<LambdaHandler> };
  worker: { createWorkerHandler(config: FunctionConfig): Promise<LambdaHandler> };
  finalize: { createFinalizeHandler(config: FunctionConfig): Promise<LambdaHandler> };
  trigger: { createTriggerHandler(config: FunctionConfig): (event: S3Event) => Promise<unknown> };
}

const ACCOUNT = "000000000000";

export async function startLocalBatch(options: { repo: string; s3: S3Server; client: S3Client; settings: FunctionSettings; tuning?: LocalBatchOptions }): Promise<LocalBatch> {
  const { repo, s3, client, tuning = {} } = options;
  const functionArn = (name: string): string => `arn:aws:lambda:${s3.region}:${ACCOUNT}:function:cvflow-batch-${name}`;
  const stateMachineArn = `arn:aws:states:${s3.region}:${ACCOUNT}:stateMachine:cvflow-batch`;
  const load = <T>(file: string): Promise<T> => loadFunctionModule<T>(repo, "batch", file);
  const functions: BatchFunctions = {
    config: await load("config.ts"),
    prepare: await load("prepare.ts"),
    worker: await load("worker.ts"),
    finalize: await load("finalize.ts"),
    trigger: await load("trigger.ts"),
  };
  const config = stackFunctionConfig(functions.config.batchConfig, { ...options.settings, CVFLOW_STATE_MACHINE_ARN: stateMachineArn }, s3);
  const definition = batchStateMachineDefinition({
    prepareArn: functionArn("prepare"),
    workerArn: functionArn("worker"),
    finalizeArn: functionArn("finalize"),
    batchSize: tuning.batchSize ?? BATCH_DEFAULTS.batchSize,
    maxConcurrency: tuning.maxConcurrency ?? BATCH_DEFAULTS.maxConcurrency,
    toleratedFailurePercentage: tuning.toleratedFailurePercentage ?? BATCH_DEFAULTS.toleratedFailurePercentage,
    workerTimeoutSeconds: tuning.workerTimeoutSeconds ?? BATCH_TIMEOUTS.workerSeconds,
  });
  const twiceEvery = tuning.runTwiceEvery;
  const runner = new LocalStateMachine({
    definition,
    stateMachineArn,
    functions: {
      [functionArn("prepare")]: await functions.prepare.createPrepareHandler(config),
      [functionArn("worker")]: await functions.worker.createWorkerHandler(config),
      [functionArn("finalize")]: await functions.finalize.createFinalizeHandler(config),
    },
    lambdaContext: (name, timeoutMs) => lambdaContext(name, timeoutMs, randomUUID()),
    s3: client,
    ...(twiceEvery ? { runTwice: (child: number) => (child + 1) % twiceEvery === 0 } : {}),
  });
  const unregister = registerLocalExecutions(stateMachineArn, runner);
  const trigger = functions.trigger.createTriggerHandler(config);
  let sequence = 0;
  const unsubscribe = s3.on("objectCreated", async (event) => {
    if (jobOfJobKey(event.key) !== undefined) await trigger(s3Event(event, ++sequence, s3.region));
  });
  return {
    runner,
    stateMachineArn,
    async close() {
      unsubscribe();
      await runner.close();
      unregister();
    },
  };
}

/**
 * The S3 notification of one object-created event. s3rver's events carry neither the URL-encoded
 * key S3 sends nor a sequencer; both are made here (the sequencer grows with every event, as S3's
 * does for a key, so a second upload of a job is a new execution).
 */
function s3Event(event: ObjectCreatedEvent, sequence: number, region: string): S3Event {
  const key = encodeURIComponent(event.key).replace(/%2F/g, "/").replace(/%20/g, "+");
  const now = new Date();
  const sequencer = (now.getTime() * 1000 + (sequence % 1000)).toString(16).toUpperCase().padStart(16, "0");
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: region,
        eventTime: now.toISOString(),
        eventName: event.eventName,
        userIdentity: { principalId: "local" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": randomUUID(), "x-amz-id-2": randomUUID() },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "cvflow-batch-jobs",
          bucket: { name: event.bucket, ownerIdentity: { principalId: "local" }, arn: `arn:aws:s3:::${event.bucket}` },
          object: { key, size: event.size, eTag: "", sequencer },
        },
      },
    ],
  };
}
