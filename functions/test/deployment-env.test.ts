import { describe, expect, it } from "vitest";
import { batchConfig } from "../batch/config.js";
import { apiConfig } from "../http/config.js";
import { runsConfig } from "../runs/config.js";
import { deploymentEnv, s3Connection } from "../deployment-env.js";

describe("the deployment's settings from the environment", () => {
  it("reads every shared variable, an empty one as unset", () => {
    const env = {
      CVFLOW_BUCKET: "b",
      AWS_DEFAULT_REGION: "eu-west-3",
      CVFLOW_S3_ENDPOINT: "",
      CVFLOW_MODELS_DIR: "/m",
      CVFLOW_BLOCKS_MODULE: "./blocks.js",
      CVFLOW_STATE_MACHINE_ARN: "arn:sm",
      CVFLOW_URL_ALLOW_HOSTS: "10.0.0.0/8",
      CVFLOW_OPENAI_BASE_URL: "http://10.0.0.5:8080/v1",
      CVFLOW_SLACK_BASE_URL: "",
      CVFLOW_S3_SINK_PREFIX: "/out",
      CVFLOW_S3_SINK_BUCKETS: "team-a-results, team-b.results",
      CVFLOW_LOCAL_FILE_ROOT: "/tmp",
    };
    expect(deploymentEnv(env, "x")).toEqual({
      bucket: "b",
      region: "eu-west-3",
      s3Endpoint: undefined,
      modelsDir: "/m",
      blocksModule: "./blocks.js",
      stateMachineArn: "arn:sm",
      urlAllowHosts: "10.0.0.0/8",
      endpoints: { openai: "http://10.0.0.5:8080/v1" },
      s3Sink: { prefix: "out/", buckets: ["team-a-results", "team-b.results"] },
      localFileRoot: "/tmp",
    });
    expect(batchConfig({ ...env, CVFLOW_BATCH_FAULTS: '{"worker":1}' })).toEqual({ ...deploymentEnv(env, "x"), faults: '{"worker":1}' });
    expect(apiConfig({ ...env, CVFLOW_TOKEN_SECRET: "s" })).toMatchObject({ ...deploymentEnv(env, "x"), tokenSecret: "s" });
    expect(runsConfig({ ...env, CVFLOW_RUN_LIMIT_MS: "840000", CVFLOW_WEBHOOK_SECRET: "w" })).toEqual({ ...deploymentEnv(env, "x"), runLimitMs: 840_000, webhookSecret: "w" });
  });

  it("where blocks call out: sinks/ by default, a provider's address that is no http(s) URL, an empty prefix and a wrong bucket name refused by name", () => {
    expect(deploymentEnv({ CVFLOW_BUCKET: "b" }, "x")).toMatchObject({ endpoints: {}, s3Sink: { prefix: "sinks/", buckets: [] }, localFileRoot: undefined });
    // On Lambda local_file_sink writes under /tmp unless told a folder in it.
    expect(deploymentEnv({ CVFLOW_BUCKET: "b", AWS_LAMBDA_FUNCTION_NAME: "api" }, "x").localFileRoot).toBe("/tmp");
    expect(() => deploymentEnv({ CVFLOW_BUCKET: "b", CVFLOW_ANTHROPIC_BASE_URL: "ftp://x" }, "x")).toThrow('CVFLOW_ANTHROPIC_BASE_URL must be an http(s) URL, got "ftp://x"');
    expect(() => deploymentEnv({ CVFLOW_BUCKET: "b", CVFLOW_S3_SINK_PREFIX: "/" }, "x")).toThrow("CVFLOW_S3_SINK_PREFIX may not be empty");
    expect(() => deploymentEnv({ CVFLOW_BUCKET: "b", CVFLOW_S3_SINK_BUCKETS: "ok-bucket,Not_A_Bucket" }, "x")).toThrow('"Not_A_Bucket" is not one');
  });

  it("the runs function: a segment's limit 15 min unless set, a limit that is no number refused by name", () => {
    expect(runsConfig({ CVFLOW_BUCKET: "b" })).toMatchObject({ runLimitMs: 900_000, webhookSecret: undefined });
    expect(() => runsConfig({ CVFLOW_BUCKET: "b", CVFLOW_RUN_LIMIT_MS: "15m" })).toThrow('CVFLOW_RUN_LIMIT_MS must be a number of milliseconds; got "15m"');
    expect(() => runsConfig({})).toThrow("CVFLOW_BUCKET is not set: the runs function needs its S3 bucket");
  });

  it("prefers AWS_REGION, defaults to us-east-1, and names who needs a missing bucket", () => {
    expect(s3Connection({ AWS_REGION: "ap-south-1", AWS_DEFAULT_REGION: "eu-west-3", CVFLOW_S3_ENDPOINT: "http://127.0.0.1:1" })).toEqual({ region: "ap-south-1", s3Endpoint: "http://127.0.0.1:1" });
    expect(s3Connection({}).region).toBe("us-east-1");
    expect(() => batchConfig({})).toThrow("CVFLOW_BUCKET is not set: the batch functions need their S3 bucket");
    expect(() => apiConfig({})).toThrow("CVFLOW_BUCKET is not set: the API needs its S3 bucket");
  });
});
