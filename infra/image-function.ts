/**
 * One Lambda function of the shared container image: its own command (the image config's CMD
 * override), memory and timeout from infra/function-settings.ts, a role whose policy names its
 * exact actions and resources, and a log group with the deployment's retention.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FunctionSettings } from "./function-settings.js";
import { assumeRolePolicy, logStatement, policyDocument, type PolicyStatement } from "./iam-policies.js";
import { TARGET_PLATFORM } from "./image-layout.js";

export interface ImageFunctionArgs {
  /** `{app}-{stage}`: the function is `{prefix}-{bundle}`. */
  prefix: string;
  settings: FunctionSettings;
  imageUri: pulumi.Input<string>;
  environment: Record<string, pulumi.Input<string>>;
  /** What it calls besides its logs. */
  statements: pulumi.Input<PolicyStatement[]>;
  logRetentionDays: number;
  reservedConcurrency?: number;
  /** Publish a version on each change (for an alias). */
  publish?: boolean;
  /** A durable function (Lambda durable functions): its executions' timeout and how long their state is kept. */
  durable?: { executionTimeoutSeconds: number; retentionDays: number };
}

export function imageFunction(name: string, args: ImageFunctionArgs): aws.lambda.Function {
  const functionName = `${args.prefix}-${args.settings.bundle}`;
  const logGroup = new aws.cloudwatch.LogGroup(`${name}Logs`, { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays });
  const role = new aws.iam.Role(`${name}Role`, { assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")) });
  const policy = new aws.iam.RolePolicy(`${name}Policy`, {
    role: role.name,
    policy: pulumi.all([logGroup.arn, args.statements]).apply(([logGroupArn, statements]) => JSON.stringify(policyDocument([...statements, logStatement(logGroupArn)]))),
  });
  return new aws.lambda.Function(
    name,
    {
      name: functionName,
      packageType: "Image",
      imageUri: args.imageUri,
      imageConfig: { commands: [args.settings.command] },
      architectures: [TARGET_PLATFORM.architecture],
      memorySize: args.settings.memoryMb,
      timeout: args.settings.timeoutSeconds,
      ...(args.settings.ephemeralStorageMb === undefined ? {} : { ephemeralStorage: { size: args.settings.ephemeralStorageMb } }),
      role: role.arn,
      environment: { variables: args.environment },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      ...(args.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: args.reservedConcurrency }),
      publish: args.publish ?? false,
      ...(args.durable ? { durableConfig: { executionTimeout: args.durable.executionTimeoutSeconds, retentionPeriod: args.durable.retentionDays } } : {}),
    },
    // Its first invocation must find its permissions in place.
    { dependsOn: [policy] },
  );
}
