/**
 * The deployment's raw resources under Pulumi's mocks: `mockDeployment(env)` creates what
 * sst.config.ts creates, for the deploy-time environment `env` (the image stands in as a fixed
 * URI, the SST Secret as a string), and answers each resource registered with the inputs it was
 * given, resolved.
 */
import * as pulumi from "@pulumi/pulumi";
import { createBatch } from "../batch.js";
import { deploySettings } from "../deploy-settings.js";
import { createEngine } from "../engine.js";
import { createRuns } from "../runs.js";
import { createStorage } from "../storage.js";

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const PREFIX = "cvflow-test";
export const IMAGE_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${PREFIX}-functions@sha256:${"0".repeat(64)}`;
export const TOKEN_SECRET = "test-token-secret";
export const WEBHOOK_SECRET = "test-webhook-secret";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export interface MockDeployment {
  /** The one resource of this type and logical name. */
  resource(type: string, name: string): Registered;
  ofType(type: string): Registered[];
  outputs: { url: string; bucket: string; stateMachineArn: string };
}

/** Physical names and ARNs as AWS would make them, from the inputs. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const physical = inputs["name"] ?? (inputs["bucketPrefix"] ? `${inputs["bucketPrefix"]}0123abcd` : `${name}-0123abcd`);
  const service = type.split(":")[1]!.split("/")[0]!;
  const arns: Record<string, string> = {
    // An alias's ARN is its function's, qualified by its name.
    lambda: type === "aws:lambda/alias:Alias" ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${inputs["functionName"]}:${physical}` : `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical}`,
    sfn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${physical}`,
    s3: `arn:aws:s3:::${physical}`,
    cloudwatch: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${physical}`,
    iam: `arn:aws:iam::${ACCOUNT}:role/${physical}`,
  };
  return {
    ...inputs,
    name: physical,
    bucket: physical,
    arn: arns[service] ?? `arn:aws:${service}:${REGION}:${ACCOUNT}:${physical}`,
    version: "1",
    functionUrl: `https://${physical}.lambda-url.${REGION}.on.aws/`,
  };
}

export async function mockDeployment(env: Record<string, string> = {}): Promise<MockDeployment> {
  const resources: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        resources.push({ type, name, inputs });
        return { id: `${name}-id`, state: mockState(type, name, inputs) };
      },
      call: ({ token }) => {
        if (token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: ACCOUNT };
        if (token === "aws:index/getRegion:getRegion") return { region: REGION, name: REGION };
        if (token === "aws:index/getPartition:getPartition") return { partition: "aws" };
        throw new Error(`no mock for ${token}`);
      },
    },
    "cvflow",
    "test",
  );
  const settings = deploySettings(env);
  const { bucket } = createStorage({ prefix: PREFIX, uploadOrigins: settings.uploadOrigins, forceDestroy: true });
  const batch = createBatch({ prefix: PREFIX, imageUri: IMAGE_URI, bucket, settings });
  const runs = createRuns({ prefix: PREFIX, imageUri: IMAGE_URI, bucket, webhookSecret: WEBHOOK_SECRET, settings });
  const engine = createEngine({ prefix: PREFIX, imageUri: IMAGE_URI, bucket, tokenSecret: TOKEN_SECRET, webhookSecret: WEBHOOK_SECRET, stateMachineArn: batch.stateMachine.arn, runs, settings });
  const [url, name, stateMachineArn] = await resolved(pulumi.all([engine.url.functionUrl, bucket.bucket, batch.stateMachine.arn]));
  // Every registration still in flight (policies built from outputs) is answered before this returns.
  await pulumi.runtime.disconnect();
  const ofType = (type: string): Registered[] => resources.filter((r) => r.type === type);
  const resource = (type: string, name: string): Registered => {
    const found = resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`${found.length} resources ${type} named ${name}`);
    return found[0]!;
  };
  return { resource, ofType, outputs: { url, bucket: name, stateMachineArn } };
}

function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
