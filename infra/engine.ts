/**
 * The API: the container-image Lambda answering on its Function URL (functions/api.ts), published
 * behind the alias `live` so that provisioned concurrency, when asked for, serves the URL. It
 * streams (RESPONSE_STREAM) and starts async runs on the runs function (infra/runs.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeploySettings } from "./deploy-settings.js";
import { apiEnvironment } from "./function-environment.js";
import { API_INVOKE_MODE, FUNCTIONS } from "./function-settings.js";
import { apiStatements } from "./iam-policies.js";
import { imageFunction } from "./image-function.js";
import type { RunsFunction } from "./runs.js";

export interface EngineArgs {
  prefix: string;
  imageUri: pulumi.Input<string>;
  bucket: { bucket: pulumi.Input<string>; arn: pulumi.Input<string> };
  tokenSecret: pulumi.Input<string>;
  webhookSecret: pulumi.Input<string>;
  stateMachineArn: pulumi.Input<string>;
  runs: RunsFunction;
  settings: DeploySettings;
}

const ALIAS = "live";

export function createEngine(args: EngineArgs): { url: aws.lambda.FunctionUrl } {
  const { settings } = args;
  const api = imageFunction("Api", {
    prefix: args.prefix,
    settings: FUNCTIONS.api,
    imageUri: args.imageUri,
    environment: apiEnvironment({
      bucket: args.bucket.bucket,
      tokenSecret: args.tokenSecret,
      webhookSecret: args.webhookSecret,
      stateMachineArn: args.stateMachineArn,
      runsFunctionArn: args.runs.aliasArn,
      urlAllowHosts: settings.urlAllowHosts,
      workflowSecrets: settings.workflowSecrets,
      egress: settings.egress,
    }),
    statements: pulumi
      .all([args.bucket.arn, args.stateMachineArn, args.runs.functionArn, args.runs.aliasArn])
      .apply(([bucketArn, stateMachineArn, functionArn, aliasArn]) => apiStatements(bucketArn, stateMachineArn, { functionArn, aliasArn }, settings.s3SinkBuckets)),
    logRetentionDays: settings.logRetentionDays,
    reservedConcurrency: settings.apiReservedConcurrency,
    publish: true,
  });
  const alias = new aws.lambda.Alias("ApiLive", { name: ALIAS, functionName: api.name, functionVersion: api.version });
  if (settings.apiProvisionedConcurrency > 0) {
    new aws.lambda.ProvisionedConcurrencyConfig("ApiProvisioned", {
      functionName: api.name,
      qualifier: alias.name,
      provisionedConcurrentExecutions: settings.apiProvisionedConcurrency,
    });
  }
  // RESPONSE_STREAM (the function is told the same, CVFLOW_INVOKE_MODE): event streams go out as
  // they come. A stream is not held to 6 MB; past 6 MB Lambda caps its bandwidth (docs/runs.md).
  // JSON answers keep the 6 MB policy (packages/service/src/fit-response.ts).
  const url = new aws.lambda.FunctionUrl("ApiUrl", { functionName: api.name, qualifier: alias.name, authorizationType: settings.urlAuth, invokeMode: API_INVOKE_MODE });
  if (settings.urlAuth === "NONE") {
    // A public URL needs both grants: to call the URL, and to invoke the function through it.
    new aws.lambda.Permission("ApiUrlPublic", { action: "lambda:InvokeFunctionUrl", function: api.name, qualifier: alias.name, principal: "*", functionUrlAuthType: "NONE" });
    new aws.lambda.Permission("ApiUrlInvoke", { action: "lambda:InvokeFunction", function: api.name, qualifier: alias.name, principal: "*", invokedViaFunctionUrl: true });
  }
  return { url };
}
