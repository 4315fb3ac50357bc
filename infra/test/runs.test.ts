/** The runs function (async runs, a Lambda durable function) and its alias, under Pulumi's mocks. */
import { describe, expect, it } from "vitest";
import { apiConfig } from "../../functions/http/config.js";
import { runsConfig } from "../../functions/runs/config.js";
import { FUNCTIONS, RUN_LIMIT_MS, RUNS_DURABLE, TASK_ROOT } from "../function-settings.js";
import { IMAGE_URI, mockDeployment, PREFIX, WEBHOOK_SECRET } from "./mock-deployment.js";

const FUNCTION = "aws:lambda/function:Function";

describe("the runs function", async () => {
  const deployment = await mockDeployment();
  const runs = deployment.resource(FUNCTION, "Runs").inputs;
  const config = runsConfig(runs["environment"].variables);

  it("runs the shared image with its own command", () => {
    expect(runs).toMatchObject({ name: `${PREFIX}-runs`, packageType: "Image", imageUri: IMAGE_URI, imageConfig: { commands: ["runs.handler"] }, architectures: ["x86_64"] });
    expect(FUNCTIONS.runs.command).toBe("runs.handler");
  });

  it("is durable: its executions outlive any one invocation, and their state is kept", () => {
    expect(runs["durableConfig"]).toEqual({ executionTimeout: RUNS_DURABLE.executionTimeoutSeconds, retentionPeriod: RUNS_DURABLE.retentionDays });
    expect(runs["durableConfig"].executionTimeout * 1000).toBeGreaterThan(config.runLimitMs);
  });

  it("publishes versions behind the alias `live`, which durable invokes need", () => {
    expect(runs["publish"]).toBe(true);
    expect(deployment.resource("aws:lambda/alias:Alias", "RunsLive").inputs).toMatchObject({ name: "live", functionName: `${PREFIX}-runs`, functionVersion: "1" });
  });

  it("has the memory and timeout of infra/function-settings.ts: one invocation holds a run's segment and its record writes", () => {
    expect(runs["memorySize"]).toBe(FUNCTIONS.runs.memoryMb);
    expect(runs["timeout"]).toBe(FUNCTIONS.runs.timeoutSeconds);
    expect(runs["timeout"]).toBeLessThanOrEqual(900);
    expect(runs["timeout"] * 1000).toBeGreaterThan(config.runLimitMs);
  });

  it("is configured through the environment its configuration reads, with the API's run limit and webhook secret", () => {
    expect(config).toMatchObject({ bucket: deployment.outputs.bucket, modelsDir: `${TASK_ROOT}/models`, runLimitMs: RUN_LIMIT_MS, webhookSecret: WEBHOOK_SECRET, s3Endpoint: undefined });
    expect(apiConfig(deployment.resource(FUNCTION, "Api").inputs["environment"].variables).runLimitMs).toBe(config.runLimitMs);
  });

  it("logs to its own group", () => {
    expect(deployment.resource("aws:cloudwatch/logGroup:LogGroup", "RunsLogs").inputs).toEqual({ name: `/aws/lambda/${PREFIX}-runs`, retentionInDays: 30 });
  });
});
