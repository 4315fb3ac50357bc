/**
 * The runs function's configuration (the durable function that executes async runs): on Lambda
 * from its environment (runsConfig); locally the stack builds it and hands it to the factory
 * (handler.ts beside this file).
 */
import { deploymentEnv, milliseconds, setting, type DeploymentEnv } from "../deployment-env.js";

/** The deployment's settings (bucket: runs, their requests, step checkpoints and events; uploads; workflows), and: */
export interface RunsConfig extends DeploymentEnv {
  /**
   * CVFLOW_RUN_LIMIT_MS: the longest an async run's segment executes (a run's own limit, set when
   * it started, may be lower); default 900000 (15 min), the most one Lambda invocation has. The
   * durable function's execution timeout is above it, and covers the waits for input too.
   */
  runLimitMs: number;
  /** CVFLOW_WEBHOOK_SECRET: signs the runs' webhooks (the API refuses a notification_url without it). */
  webhookSecret: string | undefined;
}

export function runsConfig(env: NodeJS.ProcessEnv = process.env): RunsConfig {
  return {
    ...deploymentEnv(env, "the runs function needs its S3 bucket"),
    runLimitMs: milliseconds(env, "CVFLOW_RUN_LIMIT_MS", 15 * 60_000),
    webhookSecret: setting(env, "CVFLOW_WEBHOOK_SECRET"),
  };
}

