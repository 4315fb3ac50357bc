/** The API function's configuration: on Lambda from its environment (apiConfig); locally the stack builds it (api-handler.ts takes it). */
// By its own path: infra's tests read this configuration, and typecheck only what it imports.
import type { WorkflowEngine } from "@cvflow/engine";
import type { DurableRunner } from "@cvflow/runs/durable-runner";
import type { InferencePipelines } from "@cvflow/service/inference-pipelines";
import { deploymentEnv, milliseconds, setting, type DeploymentEnv } from "../deployment-env.js";
import { INVOKE_MODES, type InvokeMode } from "./types.js";

/** The deployment's settings (bucket: workflows, keys, uploads and offloaded results; the state machine: abort and restart stop and start it, without it they answer 501), and: */
export interface ApiConfig extends DeploymentEnv {
  /** CVFLOW_TOKEN_SECRET: signs workflow tokens; without it they are disabled. */
  tokenSecret: string | undefined;
  /** CVFLOW_RUN_DEADLINE_MS: the longest a request may take; default 20000. */
  runDeadlineMs: number;
  /** CVFLOW_DEADLINE_MARGIN_MS: kept from the Lambda's remaining time to answer; default 1000. */
  deadlineMarginMs: number;
  /** CVFLOW_OFFLOAD_LARGE_RESPONSES: "false" answers 413 even to a request that asks for its images to be moved to S3; default true. */
  offloadLargeResponses: boolean;
  /** CVFLOW_CACHE_TTL_MS: how long saved definitions and API keys are kept in memory; default 30000. */
  cacheTtlMs: number;
  /**
   * CVFLOW_INVOKE_MODE: the Function URL's invoke mode, BUFFERED (default) or RESPONSE_STREAM
   * (event streams are then sent as they come; infra sets both together).
   */
  invokeMode: InvokeMode;
  /** CVFLOW_RUNS_FUNCTION_ARN: the durable function that executes async runs (its qualified ARN); without it (and without `runsRunner`) async runs answer 501. */
  runsFunctionArn: string | undefined;
  /** CVFLOW_RUN_LIMIT_MS: an async run's limit; default 900000 (15 min). The durable function's execution timeout must be above it. */
  runLimitMs: number;
  /** CVFLOW_WEBHOOK_SECRET: signs runs' webhooks (X-Cvflow-Signature); without it a run with a notification_url is refused (501). The runs function needs the same. */
  webhookSecret: string | undefined;
  /** CVFLOW_UI_DIR: the debugger page's build (the image's `ui/`); default packages/ui/dist, where `npm run build:ui` writes. */
  uiDir: string | undefined;
  /** Never from the environment: the runner of async runs given in-process (the local stack's); otherwise one over `runsFunctionArn`. */
  runsRunner?: DurableRunner;
  /** Never from the environment: how often a long-lived process (the local stack) reaps stuck runs; on Lambda they are reaped at each cold start only. */
  reapRunsEveryMs?: number;
  /** Never from the environment: fires when the long-lived process's stack closes, which ends the reaping. */
  closed?: AbortSignal;
  /** Never from the environment: the video pipelines of a long-lived process (the local stack's), made over the API's engine; without them (Lambda) `/inference_pipelines/*` answers 501. */
  pipelines?: (engine: WorkflowEngine) => InferencePipelines;
}

export function apiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    ...deploymentEnv(env, "the API needs its S3 bucket"),
    tokenSecret: setting(env, "CVFLOW_TOKEN_SECRET"),
    runDeadlineMs: milliseconds(env, "CVFLOW_RUN_DEADLINE_MS", 20_000),
    deadlineMarginMs: milliseconds(env, "CVFLOW_DEADLINE_MARGIN_MS", 1_000),
    offloadLargeResponses: env["CVFLOW_OFFLOAD_LARGE_RESPONSES"]?.trim().toLowerCase() !== "false",
    cacheTtlMs: milliseconds(env, "CVFLOW_CACHE_TTL_MS", 30_000),
    invokeMode: invokeMode(env),
    runsFunctionArn: setting(env, "CVFLOW_RUNS_FUNCTION_ARN"),
    runLimitMs: milliseconds(env, "CVFLOW_RUN_LIMIT_MS", 15 * 60_000),
    webhookSecret: setting(env, "CVFLOW_WEBHOOK_SECRET"),
    uiDir: setting(env, "CVFLOW_UI_DIR"),
  };
}

function invokeMode(env: NodeJS.ProcessEnv): InvokeMode {
  const text = setting(env, "CVFLOW_INVOKE_MODE") ?? "BUFFERED";
  const mode = INVOKE_MODES.find((m) => m === text.trim().toUpperCase());
  if (!mode) throw new Error(`CVFLOW_INVOKE_MODE must be ${INVOKE_MODES.join(" or ")} (the Function URL's invoke mode); got ${JSON.stringify(text)}`);
  return mode;
}
