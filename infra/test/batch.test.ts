/** The batch functions, state machine and S3 trigger under Pulumi's mocks. */
import { describe, expect, it } from "vitest";
import { batchConfig, requiredStateMachineArn } from "../../functions/batch/config.js";
import { BATCH_DEFAULTS, BATCH_TIMEOUTS, BATCH_TRIGGER, batchStateMachineDefinition } from "@cvflow/batch/definition";
import { FUNCTIONS, TASK_ROOT } from "../function-settings.js";
import { ACCOUNT, IMAGE_URI, mockDeployment, PREFIX, REGION } from "./mock-deployment.js";

const FUNCTION = "aws:lambda/function:Function";
const functionArn = (bundle: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-${bundle}`;

describe("batch jobs", async () => {
  const deployment = await mockDeployment();
  const stateMachine = deployment.resource("aws:sfn/stateMachine:StateMachine", "BatchStateMachine").inputs;

  it("runs Prepare, the worker and Finalize on the API's image, each with its command, memory and timeout", () => {
    for (const [name, settings] of [
      ["BatchPrepare", FUNCTIONS.batchPrepare],
      ["BatchWorker", FUNCTIONS.batchWorker],
      ["BatchFinalize", FUNCTIONS.batchFinalize],
      ["BatchTrigger", FUNCTIONS.batchTrigger],
    ] as const) {
      expect(deployment.resource(FUNCTION, name).inputs).toMatchObject({
        name: `${PREFIX}-${settings.bundle}`,
        packageType: "Image",
        imageUri: IMAGE_URI,
        imageConfig: { commands: [settings.command] },
        memorySize: settings.memoryMb,
        timeout: settings.timeoutSeconds,
      });
    }
    expect(FUNCTIONS.batchWorker.timeoutSeconds).toBe(BATCH_TIMEOUTS.workerSeconds);
  });

  it("deploys the very definition the local runner executes", () => {
    expect(JSON.parse(stateMachine["definition"])).toEqual(
      batchStateMachineDefinition({
        prepareArn: functionArn("batch-prepare"),
        workerArn: functionArn("batch-worker"),
        finalizeArn: functionArn("batch-finalize"),
        ...BATCH_DEFAULTS,
        workerTimeoutSeconds: BATCH_TIMEOUTS.workerSeconds,
      }),
    );
    expect(stateMachine).toMatchObject({ name: `${PREFIX}-batch`, type: "STANDARD" });
  });

  it("gives each Task the timeout of the function it invokes", () => {
    const states = JSON.parse(stateMachine["definition"]).States;
    expect(states.Prepare.TimeoutSeconds).toBe(FUNCTIONS.batchPrepare.timeoutSeconds);
    expect(states.ProcessImages.ItemProcessor.States.Worker.TimeoutSeconds).toBe(FUNCTIONS.batchWorker.timeoutSeconds);
    expect(states.Finalize.TimeoutSeconds).toBe(FUNCTIONS.batchFinalize.timeoutSeconds);
  });

  it("logs errors to its own log group", () => {
    const logs = deployment.resource("aws:cloudwatch/logGroup:LogGroup", "BatchStateMachineLogs").inputs;
    expect(logs).toEqual({ name: `/aws/vendedlogs/states/${PREFIX}-batch`, retentionInDays: 30 });
    expect(stateMachine["loggingConfiguration"]).toEqual({
      level: "ERROR",
      includeExecutionData: false,
      logDestination: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logs["name"]}:*`,
    });
  });

  it("starts a job when batches/{job}/job.json is created: the bucket's notification and its permission", () => {
    const notification = deployment.resource("aws:s3/bucketNotification:BucketNotification", "BatchJobNotification").inputs;
    expect(notification).toEqual({
      bucket: "Bucket-id",
      lambdaFunctions: [{ lambdaFunctionArn: functionArn("batch-trigger"), events: ["s3:ObjectCreated:*"], filterPrefix: "batches/", filterSuffix: "/job.json" }],
    });
    expect(BATCH_TRIGGER).toEqual({ prefix: "batches/", suffix: "/job.json" });
    expect(deployment.resource("aws:lambda/permission:Permission", "BatchTriggerFromBucket").inputs).toEqual({
      action: "lambda:InvokeFunction",
      function: `${PREFIX}-batch-trigger`,
      principal: "s3.amazonaws.com",
      sourceArn: `arn:aws:s3:::${deployment.outputs.bucket}`,
      sourceAccount: ACCOUNT,
    });
  });

  it("configures each function through the environment its configuration reads", () => {
    const env = (name: string) => deployment.resource(FUNCTION, name).inputs["environment"].variables;
    const trigger = batchConfig(env("BatchTrigger"));
    expect(trigger.bucket).toBe(deployment.outputs.bucket);
    expect(requiredStateMachineArn(trigger)).toBe(deployment.outputs.stateMachineArn);
    for (const name of ["BatchPrepare", "BatchWorker", "BatchFinalize"]) {
      expect(batchConfig(env(name))).toMatchObject({ bucket: deployment.outputs.bucket, modelsDir: `${TASK_ROOT}/models`, s3Endpoint: undefined, faults: undefined });
      // The image's static ffmpeg and ffprobe, which packages/video/src/ffmpeg.ts runs for video jobs.
      expect(env(name)).toMatchObject({ CVFLOW_FFMPEG: `${TASK_ROOT}/bin/ffmpeg`, CVFLOW_FFPROBE: `${TASK_ROOT}/bin/ffprobe` });
    }
  });
});
