/**
 * Each function's environment: the names its configuration reads (functions/http/config.ts,
 * functions/batch/config.ts) with the deployment's values. Generic in the value's type, so the
 * same mapping takes Pulumi outputs in infra/*.ts and plain strings in the tests.
 */
import { API_INVOKE_MODE, RUN_DEADLINE_MS, RUN_LIMIT_MS, TASK_ROOT } from "./function-settings.js";
import { BIN_DIR, FFMPEG_BINARIES } from "./image-layout.js";

const MODELS_DIR = `${TASK_ROOT}/models`;
/** The debugger page's files, where the image holds them (image-layout.ts). */
const UI_DIR = `${TASK_ROOT}/ui`;
/** CVFLOW_FFMPEG and CVFLOW_FFPROBE: the image's static builds (image-layout.ts), for video jobs. */
const FFMPEG_ENV = Object.fromEntries(FFMPEG_BINARIES.map((binary) => [binary.env, `${TASK_ROOT}/${BIN_DIR}/${binary.file}`]));

export interface ApiLinks<T> {
  bucket: T;
  tokenSecret: T;
  /** Signs the runs' completion webhooks (the API checks a run's notification_url against it). */
  webhookSecret: T;
  stateMachineArn: T;
  /** The runs function's alias ARN: durable invokes need a qualified one. */
  runsFunctionArn: T;
  /** The deployment's CVFLOW_URL_ALLOW_HOSTS, when it sets one. */
  urlAllowHosts?: string;
  /** The secrets workflows may read (DeploySettings.workflowSecrets). */
  workflowSecrets?: Record<string, string>;
  /** Where blocks call out (DeploySettings.egress). */
  egress?: Record<string, string>;
}

export function apiEnvironment<T>(links: ApiLinks<T>): Record<string, T | string> {
  return {
    CVFLOW_BUCKET: links.bucket,
    CVFLOW_TOKEN_SECRET: links.tokenSecret,
    CVFLOW_WEBHOOK_SECRET: links.webhookSecret,
    CVFLOW_STATE_MACHINE_ARN: links.stateMachineArn,
    CVFLOW_MODELS_DIR: MODELS_DIR,
    CVFLOW_RUN_DEADLINE_MS: String(RUN_DEADLINE_MS),
    CVFLOW_RUNS_FUNCTION_ARN: links.runsFunctionArn,
    CVFLOW_RUN_LIMIT_MS: String(RUN_LIMIT_MS),
    CVFLOW_INVOKE_MODE: API_INVOKE_MODE,
    CVFLOW_UI_DIR: UI_DIR,
    ...allowHosts(links.urlAllowHosts),
    ...links.workflowSecrets,
    ...links.egress,
  };
}

/** The runs function (functions/runs/config.ts): it runs workflows as the API does, fetching URL images under the same allow-list, and signs their webhooks. */
export function runsEnvironment<T>(links: { bucket: T; webhookSecret: T; urlAllowHosts?: string; workflowSecrets?: Record<string, string>; egress?: Record<string, string> }): Record<string, T | string> {
  return {
    CVFLOW_BUCKET: links.bucket,
    CVFLOW_MODELS_DIR: MODELS_DIR,
    CVFLOW_RUN_LIMIT_MS: String(RUN_LIMIT_MS),
    CVFLOW_WEBHOOK_SECRET: links.webhookSecret,
    ...allowHosts(links.urlAllowHosts),
    ...links.workflowSecrets,
    ...links.egress,
  };
}

export function triggerEnvironment<T>(links: { bucket: T; stateMachineArn: T }): Record<string, T | string> {
  return { CVFLOW_BUCKET: links.bucket, CVFLOW_STATE_MACHINE_ARN: links.stateMachineArn };
}

/**
 * Prepare, worker and finalize (the worker fetches URL images, under the same allow-list as the
 * API; video jobs probe, decode and encode with the image's ffmpeg).
 */
export function batchStepEnvironment<T>(links: { bucket: T; urlAllowHosts?: string; workflowSecrets?: Record<string, string>; egress?: Record<string, string> }): Record<string, T | string> {
  return { CVFLOW_BUCKET: links.bucket, CVFLOW_MODELS_DIR: MODELS_DIR, ...FFMPEG_ENV, ...allowHosts(links.urlAllowHosts), ...links.workflowSecrets, ...links.egress };
}

function allowHosts(value: string | undefined): Record<string, string> {
  return value ? { CVFLOW_URL_ALLOW_HOSTS: value } : {};
}
