/**
 * Each function's environment: the names its configuration reads (functions/http/config.ts,
 * functions/batch/config.ts) with the deployment's values. Generic in the value's type, so the
 * same mapping takes Pulumi outputs in infra/*.ts and plain strings in the tests.
 */
import { RUN_DEADLINE_MS, TASK_ROOT } from "./function-settings.js";

const MODELS_DIR = `${TASK_ROOT}/models`;

export interface ApiLinks<T> {
  bucket: T;
  tokenSecret: T;
  stateMachineArn: T;
}

export function apiEnvironment<T>(links: ApiLinks<T>): Record<string, T | string> {
  return {
    CVFLOW_BUCKET: links.bucket,
    CVFLOW_TOKEN_SECRET: links.tokenSecret,
    CVFLOW_STATE_MACHINE_ARN: links.stateMachineArn,
    CVFLOW_MODELS_DIR: MODELS_DIR,
    CVFLOW_RUN_DEADLINE_MS: String(RUN_DEADLINE_MS),
  };
}

export function triggerEnvironment<T>(links: { bucket: T; stateMachineArn: T }): Record<string, T | string> {
  return { CVFLOW_BUCKET: links.bucket, CVFLOW_STATE_MACHINE_ARN: links.stateMachineArn };
}

/** Prepare, worker and finalize. */
export function batchStepEnvironment<T>(links: { bucket: T }): Record<string, T | string> {
  return { CVFLOW_BUCKET: links.bucket, CVFLOW_MODELS_DIR: MODELS_DIR };
}
