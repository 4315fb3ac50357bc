/** The API function, its alias, concurrency and Function URL, under Pulumi's mocks. */
import { describe, expect, it } from "vitest";
import { apiConfig } from "../../functions/http/config.js";
import { FUNCTIONS, RUN_DEADLINE_MS, RUN_LIMIT_MS, TASK_ROOT } from "../function-settings.js";
import { ACCOUNT, IMAGE_URI, mockDeployment, PREFIX, REGION, TOKEN_SECRET, WEBHOOK_SECRET } from "./mock-deployment.js";

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";

describe("the API function", async () => {
  const deployment = await mockDeployment();
  const api = deployment.resource(FUNCTION, "Api").inputs;

  it("runs the shared image with the API's command", () => {
    expect(api).toMatchObject({ packageType: "Image", imageUri: IMAGE_URI, imageConfig: { commands: ["api.handler"] }, architectures: ["x86_64"] });
    expect(api["name"]).toBe(`${PREFIX}-api`);
  });

  it("has the memory and timeout of infra/function-settings.ts, the timeout above the run deadline and its margin", () => {
    expect(api["memorySize"]).toBe(FUNCTIONS.api.memoryMb);
    expect(api["timeout"]).toBe(FUNCTIONS.api.timeoutSeconds);
    const config = apiConfig(api["environment"].variables);
    expect(api["timeout"] * 1000).toBeGreaterThan(config.runDeadlineMs + config.deadlineMarginMs);
  });

  it("is configured through the environment its configuration reads", () => {
    const config = apiConfig(api["environment"].variables);
    expect(config).toMatchObject({
      bucket: deployment.outputs.bucket,
      tokenSecret: TOKEN_SECRET,
      webhookSecret: WEBHOOK_SECRET,
      stateMachineArn: deployment.outputs.stateMachineArn,
      modelsDir: `${TASK_ROOT}/models`,
      uiDir: `${TASK_ROOT}/ui`,
      runDeadlineMs: RUN_DEADLINE_MS,
      runLimitMs: RUN_LIMIT_MS,
      s3Endpoint: undefined,
    });
  });

  it("starts async runs on the runs function's alias: a qualified ARN, as durable invokes need", () => {
    const config = apiConfig(api["environment"].variables);
    expect(config.runsFunctionArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${PREFIX}-runs:live`);
  });

  it("reserves concurrency, publishes versions and serves its URL through the alias", () => {
    expect(api["reservedConcurrentExecutions"]).toBe(25);
    expect(api["publish"]).toBe(true);
    expect(deployment.resource("aws:lambda/alias:Alias", "ApiLive").inputs).toMatchObject({ name: "live", functionName: `${PREFIX}-api`, functionVersion: "1" });
    expect(deployment.ofType("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig")).toEqual([]);
  });

  it("answers on a streaming Function URL open to the app's keys (auth NONE), with both public grants; the function is told the same mode", () => {
    const url = deployment.resource("aws:lambda/functionUrl:FunctionUrl", "ApiUrl").inputs;
    expect(url).toMatchObject({ functionName: `${PREFIX}-api`, qualifier: "live", authorizationType: "NONE", invokeMode: "RESPONSE_STREAM" });
    expect(apiConfig(api["environment"].variables).invokeMode).toBe(url["invokeMode"]);
    expect(deployment.resource(PERMISSION, "ApiUrlPublic").inputs).toMatchObject({ action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE", qualifier: "live" });
    expect(deployment.resource(PERMISSION, "ApiUrlInvoke").inputs).toMatchObject({ action: "lambda:InvokeFunction", principal: "*", invokedViaFunctionUrl: true, qualifier: "live" });
    expect(deployment.outputs.url).toMatch(/^https:\/\/.+\.lambda-url\..+\.on\.aws\/$/);
  });

  it("logs to its own group, kept as long as the settings say", () => {
    const logs = deployment.resource("aws:cloudwatch/logGroup:LogGroup", "ApiLogs").inputs;
    expect(logs).toEqual({ name: `/aws/lambda/${PREFIX}-api`, retentionInDays: 30 });
    expect(api["loggingConfig"]).toEqual({ logFormat: "Text", logGroup: logs["name"] });
  });
});

describe("the API's settings", () => {
  it("AWS_IAM: a signed URL, and no public grant", async () => {
    const deployment = await mockDeployment({ CVFLOW_URL_AUTH: "AWS_IAM" });
    expect(deployment.resource("aws:lambda/functionUrl:FunctionUrl", "ApiUrl").inputs["authorizationType"]).toBe("AWS_IAM");
    expect(deployment.ofType(PERMISSION).filter((p) => p.inputs["principal"] === "*")).toEqual([]);
  });

  it("CVFLOW_URL_ALLOW_HOSTS reaches the API, the runs function and the batch steps that fetch images; unset, neither has it", async () => {
    const allowing = await mockDeployment({ CVFLOW_URL_ALLOW_HOSTS: "images.internal:8080" });
    for (const name of ["Api", "Runs", "BatchPrepare", "BatchWorker", "BatchFinalize"]) {
      expect(allowing.resource(FUNCTION, name).inputs["environment"].variables["CVFLOW_URL_ALLOW_HOSTS"]).toBe("images.internal:8080");
    }
    expect(apiConfig(allowing.resource(FUNCTION, "Api").inputs["environment"].variables).urlAllowHosts).toBe("images.internal:8080");
    const plain = await mockDeployment();
    expect(Object.keys(plain.resource(FUNCTION, "Api").inputs["environment"].variables)).not.toContain("CVFLOW_URL_ALLOW_HOSTS");
  });

  it("the secrets workflows may read reach the functions that run workflows, and no other variable of the deploying shell does", async () => {
    const deployment = await mockDeployment({ WORKFLOW_SECRET_SLACK: "xoxb-1", HOME: "/root" });
    for (const name of ["Api", "Runs", "BatchPrepare", "BatchWorker", "BatchFinalize"]) {
      const variables = deployment.resource(FUNCTION, name).inputs["environment"].variables;
      expect(variables["WORKFLOW_SECRET_SLACK"]).toBe("xoxb-1");
      expect(Object.keys(variables)).not.toContain("HOME");
    }
  });

  it("where blocks call out reaches the functions that run workflows, read back by their configs; the trigger gets none of it", async () => {
    const deployment = await mockDeployment({ CVFLOW_OPENAI_BASE_URL: "https://llm.internal/v1", CVFLOW_S3_SINK_BUCKETS: "team-results", CVFLOW_LOCAL_FILE_ROOT: "/tmp" });
    for (const name of ["Api", "Runs", "BatchPrepare", "BatchWorker", "BatchFinalize"]) {
      const config = apiConfig({ ...deployment.resource(FUNCTION, name).inputs["environment"].variables, CVFLOW_BUCKET: "b" });
      expect([name, config.endpoints, config.s3Sink, config.localFileRoot]).toEqual([name, { openai: "https://llm.internal/v1" }, { prefix: "sinks/", buckets: ["team-results"] }, "/tmp"]);
    }
    expect(Object.keys(deployment.resource(FUNCTION, "BatchTrigger").inputs["environment"].variables)).not.toContain("CVFLOW_S3_SINK_BUCKETS");
  });

  it("Finalize has two vCPUs and 4 GB of /tmp for a video job's replay", async () => {
    const finalize = (await mockDeployment()).resource(FUNCTION, "BatchFinalize").inputs;
    expect(finalize["memorySize"]).toBe(3008);
    expect(finalize["ephemeralStorage"]).toEqual({ size: 4096 });
  });

  it("provisioned concurrency on the alias; no reservation when asked for none", async () => {
    const deployment = await mockDeployment({ CVFLOW_API_PROVISIONED_CONCURRENCY: "2", CVFLOW_API_RESERVED_CONCURRENCY: "none" });
    expect(deployment.resource("aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", "ApiProvisioned").inputs).toEqual({
      functionName: `${PREFIX}-api`,
      qualifier: "live",
      provisionedConcurrentExecutions: 2,
    });
    expect(deployment.resource(FUNCTION, "Api").inputs["reservedConcurrentExecutions"]).toBeUndefined();
  });
});
