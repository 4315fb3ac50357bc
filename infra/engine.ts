/**
 * The API: the container-image Lambda answering on its Function URL (functions/api.ts), published
 * behind the alias `live` so that provisioned concurrency, when asked for, serves the URL.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeploySettings } from "./deploy-settings.js";
import { apiEnvironment } from "./function-environment.js";
import { FUNCTIONS } from "./function-settings.js";
import { apiStatements } from "./iam-policies.js";
import { imageFunction } from "./image-function.js";

export interface EngineArgs {
  prefix: string;
  imageUri: pulumi.Input<string>;
  bucket: { bucket: pulumi.Input<string>; arn: pulumi.Input<string> };
  tokenSecret: pulumi.Input<string>;
  stateMachineArn: pulumi.Input<string>;
  settings: DeploySettings;
}

const ALIAS = "live";

export function createEngine(args: EngineArgs): { url: aws.lambda.FunctionUrl } {
  const { settings } = args;
  const api = imageFunction("Api", {
    prefix: args.prefix,
    settings: FUNCTIONS.api,
    imageUri: args.imageUri,
    environment: apiEnvironment({ bucket: args.bucket.bucket, tokenSecret: args.tokenSecret, stateMachineArn: args.stateMachineArn, urlAllowHosts: settings.urlAllowHosts }),
    statements: pulumi.all([args.bucket.arn, args.stateMachineArn]).apply(([bucketArn, stateMachineArn]) => apiStatements(bucketArn, stateMachineArn)),
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
  // BUFFERED: the handler answers whole results (6 MB at most, packages/service/src/fit-response.ts).
  const url = new aws.lambda.FunctionUrl("ApiUrl", { functionName: api.name, qualifier: alias.name, authorizationType: settings.urlAuth, invokeMode: "BUFFERED" });
  if (settings.urlAuth === "NONE") {
    // A public URL needs both grants: to call the URL, and to invoke the function through it.
    new aws.lambda.Permission("ApiUrlPublic", { action: "lambda:InvokeFunctionUrl", function: api.name, qualifier: alias.name, principal: "*", functionUrlAuthType: "NONE" });
    new aws.lambda.Permission("ApiUrlInvoke", { action: "lambda:InvokeFunction", function: api.name, qualifier: alias.name, principal: "*", invokedViaFunctionUrl: true });
  }
  return { url };
}
