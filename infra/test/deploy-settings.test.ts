/** The deploy-time settings, read from the environment `sst deploy` runs in. */
import { describe, expect, it } from "vitest";
import { deploySettings } from "../deploy-settings.js";

describe("deploySettings", () => {
  it("defaults: a public URL guarded by the app's keys, 25 reserved, none provisioned, uploads from any origin, 30 days of logs", () => {
    expect(deploySettings({})).toEqual({ urlAuth: "NONE", apiReservedConcurrency: 25, apiProvisionedConcurrency: 0, uploadOrigins: ["*"], logRetentionDays: 30, urlAllowHosts: undefined, workflowSecrets: {}, egress: {}, s3SinkBuckets: [] });
  });

  it("reads each setting", () => {
    expect(
      deploySettings({
        CVFLOW_URL_AUTH: "aws_iam",
        CVFLOW_API_RESERVED_CONCURRENCY: "none",
        CVFLOW_API_PROVISIONED_CONCURRENCY: "3",
        CVFLOW_UPLOAD_ORIGINS: "https://a.example, https://b.example",
        CVFLOW_LOG_RETENTION_DAYS: "90",
        CVFLOW_URL_ALLOW_HOSTS: " images.internal, 10.20.0.0/16 ",
      }),
    ).toEqual({
      urlAuth: "AWS_IAM",
      apiReservedConcurrency: undefined,
      apiProvisionedConcurrency: 3,
      uploadOrigins: ["https://a.example", "https://b.example"],
      logRetentionDays: 90,
      urlAllowHosts: "images.internal, 10.20.0.0/16",
      workflowSecrets: {},
      egress: {},
      s3SinkBuckets: [],
    });
  });

  it("takes where blocks call out (passed on as set) and the buckets s3_sink may write, refusing a wrong one before deploying", () => {
    const env = { CVFLOW_OPENAI_BASE_URL: "https://llm.internal/v1", CVFLOW_S3_SINK_BUCKETS: "team-results", CVFLOW_S3_SINK_PREFIX: "out/", CVFLOW_LOCAL_FILE_ROOT: "/tmp", CVFLOW_OTHER: "x" };
    expect(deploySettings(env)).toMatchObject({ egress: { CVFLOW_OPENAI_BASE_URL: "https://llm.internal/v1", CVFLOW_S3_SINK_BUCKETS: "team-results", CVFLOW_S3_SINK_PREFIX: "out/", CVFLOW_LOCAL_FILE_ROOT: "/tmp" }, s3SinkBuckets: ["team-results"] });
    expect(() => deploySettings({ CVFLOW_XAI_BASE_URL: "x.ai" })).toThrow(/CVFLOW_XAI_BASE_URL must be an http\(s\) URL/);
    expect(() => deploySettings({ CVFLOW_S3_SINK_BUCKETS: "UPPER" })).toThrow(/CVFLOW_S3_SINK_BUCKETS/);
    expect(() => deploySettings({ CVFLOW_S3_SINK_PREFIX: "/" })).toThrow(/CVFLOW_S3_SINK_PREFIX may not be empty/);
    expect(deploySettings({ CVFLOW_LOCAL_FILE_ROOT: "/tmp/sink-files" }).egress).toEqual({ CVFLOW_LOCAL_FILE_ROOT: "/tmp/sink-files" });
    for (const root of ["/var/task", "/tmpfiles", "files"]) expect(() => deploySettings({ CVFLOW_LOCAL_FILE_ROOT: root })).toThrow(/CVFLOW_LOCAL_FILE_ROOT must be \/tmp or a folder in it/);
  });

  it("takes the secrets workflows may read: WORKFLOW_SECRET_* by default, the listed prefixes (passed on too) when set, never the service's own", () => {
    const env = { WORKFLOW_SECRET_OPENAI: "sk-1", OTHER: "x", CVFLOW_TOKEN_SECRET: "t", AWS_SECRET_ACCESS_KEY: "a" };
    expect(deploySettings(env).workflowSecrets).toEqual({ WORKFLOW_SECRET_OPENAI: "sk-1" });
    expect(deploySettings({ ...env, CVFLOW_SECRETS_ENV_PREFIXES: "OTH, AWS_" }).workflowSecrets).toEqual({ OTHER: "x", CVFLOW_SECRETS_ENV_PREFIXES: "OTH, AWS_" });
  });

  it("refuses what AWS would refuse at deploy time, naming the variable", () => {
    expect(() => deploySettings({ CVFLOW_URL_AUTH: "COGNITO" })).toThrow(/CVFLOW_URL_AUTH/);
    expect(() => deploySettings({ CVFLOW_API_RESERVED_CONCURRENCY: "-1" })).toThrow(/CVFLOW_API_RESERVED_CONCURRENCY/);
    expect(() => deploySettings({ CVFLOW_API_PROVISIONED_CONCURRENCY: "1.5" })).toThrow(/CVFLOW_API_PROVISIONED_CONCURRENCY/);
    expect(() => deploySettings({ CVFLOW_LOG_RETENTION_DAYS: "10" })).toThrow(/CVFLOW_LOG_RETENTION_DAYS/);
    expect(() => deploySettings({ CVFLOW_API_RESERVED_CONCURRENCY: "2", CVFLOW_API_PROVISIONED_CONCURRENCY: "3" })).toThrow(/cannot exceed/);
  });
});
