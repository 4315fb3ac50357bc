/**
 * Batch jobs (docs/batch.md): the Prepare, worker and Finalize functions (the API's image, each
 * with its own command), the state machine built from the very definition the local runner
 * executes (`@cvflow/batch/definition`), its log group, and the trigger function that an upload
 * of `batches/{job}/job.json` invokes through the bucket's notification.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BATCH_DEFAULTS, BATCH_TRIGGER, batchStateMachineDefinition } from "@cvflow/batch/definition";
import type { DeploySettings } from "./deploy-settings.js";
import { batchStepEnvironment, triggerEnvironment } from "./function-environment.js";
import { FUNCTIONS } from "./function-settings.js";
import { assumeRolePolicy, batchStepStatements, policyDocument, stateMachineStatements, triggerStatements } from "./iam-policies.js";
import { imageFunction } from "./image-function.js";

export interface BatchArgs {
  prefix: string;
  imageUri: pulumi.Input<string>;
  bucket: { id: pulumi.Input<string>; bucket: pulumi.Input<string>; arn: pulumi.Input<string> };
  settings: DeploySettings;
}

export function createBatch(args: BatchArgs): { stateMachine: aws.sfn.StateMachine } {
  const { prefix, imageUri, bucket, settings } = args;
  const logRetentionDays = settings.logRetentionDays;
  /** `runsWorkflows`: the worker and Finalize (a video job's replay) run s3_sink steps; Prepare only compiles. */
  const step = (name: string, fn: (typeof FUNCTIONS)["batchPrepare" | "batchWorker" | "batchFinalize"], runsWorkflows: boolean): aws.lambda.Function =>
    imageFunction(name, {
      prefix,
      settings: fn,
      imageUri,
      environment: batchStepEnvironment({ bucket: bucket.bucket, urlAllowHosts: settings.urlAllowHosts, workflowSecrets: settings.workflowSecrets, egress: settings.egress }),
      statements: pulumi.output(bucket.arn).apply((bucketArn) => batchStepStatements(bucketArn, runsWorkflows ? settings.s3SinkBuckets : [])),
      logRetentionDays,
    });
  const steps = {
    prepare: step("BatchPrepare", FUNCTIONS.batchPrepare, false),
    worker: step("BatchWorker", FUNCTIONS.batchWorker, true),
    finalize: step("BatchFinalize", FUNCTIONS.batchFinalize, true),
  };

  // Its own policy names its ARN (the map starts child executions of it): built from its name, before it exists.
  const name = `${prefix}-batch`;
  const partition = aws.getPartitionOutput().partition;
  const region = aws.getRegionOutput().region;
  const account = aws.getCallerIdentityOutput().accountId;
  const arn = pulumi.interpolate`arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
  const logGroup = new aws.cloudwatch.LogGroup("BatchStateMachineLogs", { name: `/aws/vendedlogs/states/${name}`, retentionInDays: logRetentionDays });
  const role = new aws.iam.Role("BatchStateMachineRole", { assumeRolePolicy: JSON.stringify(assumeRolePolicy("states.amazonaws.com")) });
  const policy = new aws.iam.RolePolicy("BatchStateMachinePolicy", {
    role: role.name,
    policy: pulumi
      .all([bucket.arn, arn, steps.prepare.arn, steps.worker.arn, steps.finalize.arn])
      .apply(([bucketArn, stateMachineArn, ...functionArns]) => JSON.stringify(policyDocument(stateMachineStatements({ bucketArn, stateMachineArn, functionArns })))),
  });
  const stateMachine = new aws.sfn.StateMachine(
    "BatchStateMachine",
    {
      name,
      // Standard, as a Distributed Map's parent must be; the map's children are Express (definition.ts).
      type: "STANDARD",
      roleArn: role.arn,
      definition: pulumi.all([steps.prepare.arn, steps.worker.arn, steps.finalize.arn]).apply(([prepareArn, workerArn, finalizeArn]) =>
        JSON.stringify(
          batchStateMachineDefinition({
            prepareArn,
            workerArn,
            finalizeArn,
            ...BATCH_DEFAULTS,
            workerTimeoutSeconds: FUNCTIONS.batchWorker.timeoutSeconds,
            prepareTimeoutSeconds: FUNCTIONS.batchPrepare.timeoutSeconds,
            finalizeTimeoutSeconds: FUNCTIONS.batchFinalize.timeoutSeconds,
          }),
        ),
      ),
      loggingConfiguration: { level: "ERROR", includeExecutionData: false, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
    },
    // Step Functions checks at creation that its role may deliver logs.
    { dependsOn: [policy] },
  );

  const trigger = imageFunction("BatchTrigger", {
    prefix,
    settings: FUNCTIONS.batchTrigger,
    imageUri,
    environment: triggerEnvironment({ bucket: bucket.bucket, stateMachineArn: stateMachine.arn }),
    statements: stateMachine.arn.apply(triggerStatements),
    logRetentionDays,
  });
  const invokeFromBucket = new aws.lambda.Permission("BatchTriggerFromBucket", {
    action: "lambda:InvokeFunction",
    function: trigger.name,
    principal: "s3.amazonaws.com",
    sourceArn: bucket.arn,
    sourceAccount: account,
  });
  new aws.s3.BucketNotification(
    "BatchJobNotification",
    {
      bucket: bucket.id,
      lambdaFunctions: [{ lambdaFunctionArn: trigger.arn, events: ["s3:ObjectCreated:*"], filterPrefix: BATCH_TRIGGER.prefix, filterSuffix: BATCH_TRIGGER.suffix }],
    },
    // S3 checks, when the notification is set, that it may invoke the function.
    { dependsOn: [invokeFromBucket] },
  );
  return { stateMachine };
}
