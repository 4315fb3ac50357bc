/**
 * Async runs (docs/runs.md): the durable function that executes them (functions/runs.ts, the
 * shared image with its own command), one durable execution per run attempt. Durable invokes
 * need a qualified ARN, so it publishes versions behind the alias `live`, which the API starts
 * runs on.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeploySettings } from "./deploy-settings.js";
import { runsEnvironment } from "./function-environment.js";
import { FUNCTIONS, RUNS_DURABLE } from "./function-settings.js";
import { runsStatements } from "./iam-policies.js";
import { imageFunction } from "./image-function.js";

export interface RunsArgs {
  prefix: string;
  imageUri: pulumi.Input<string>;
  bucket: { bucket: pulumi.Input<string>; arn: pulumi.Input<string> };
  webhookSecret: pulumi.Input<string>;
  settings: DeploySettings;
}

export interface RunsFunction {
  /** Unqualified: its durable executions are `{functionArn}:{version}/durable-execution/…`. */
  functionArn: pulumi.Output<string>;
  /** What runs are started on. */
  aliasArn: pulumi.Output<string>;
}

const ALIAS = "live";

export function createRuns(args: RunsArgs): RunsFunction {
  const { prefix, settings } = args;
  // Its own policy names its ARN (checkpoints of its executions): built from its name, before it exists.
  const name = `${prefix}-${FUNCTIONS.runs.bundle}`;
  const partition = aws.getPartitionOutput().partition;
  const region = aws.getRegionOutput().region;
  const account = aws.getCallerIdentityOutput().accountId;
  const functionArn = pulumi.interpolate`arn:${partition}:lambda:${region}:${account}:function:${name}`;
  const runs = imageFunction("Runs", {
    prefix,
    settings: FUNCTIONS.runs,
    imageUri: args.imageUri,
    environment: runsEnvironment({ bucket: args.bucket.bucket, webhookSecret: args.webhookSecret, urlAllowHosts: settings.urlAllowHosts, workflowSecrets: settings.workflowSecrets, egress: settings.egress }),
    statements: pulumi.all([args.bucket.arn, functionArn]).apply(([bucketArn, arn]) => runsStatements(bucketArn, arn, settings.s3SinkBuckets)),
    logRetentionDays: settings.logRetentionDays,
    publish: true,
    durable: RUNS_DURABLE,
  });
  const alias = new aws.lambda.Alias("RunsLive", { name: ALIAS, functionName: runs.name, functionVersion: runs.version });
  return { functionArn, aliasArn: alias.arn };
}
