/**
 * The batch functions' configuration: on Lambda from their environment (batchConfig, as
 * functions/http/config.ts does for the API); locally the stack builds it and hands it to each
 * function's factory (prepare.ts, worker.ts, finalize.ts, trigger.ts beside this file).
 */
import { deploymentEnv, setting, type DeploymentEnv } from "../deployment-env.js";

/** The deployment's settings (bucket: jobs, their manifests and statuses, workflows; the state machine: the trigger starts it, locally the runner registered under it), and: */
export interface BatchConfig extends DeploymentEnv {
  /** CVFLOW_BATCH_FAULTS: JSON of a FaultInjector's spec — tests only; unset in any deployment. */
  faults: string | undefined;
}

export function batchConfig(env: NodeJS.ProcessEnv = process.env): BatchConfig {
  return { ...deploymentEnv(env, "the batch functions need their S3 bucket"), faults: setting(env, "CVFLOW_BATCH_FAULTS") };
}

/** The state machine's ARN, which the trigger cannot do without. */
export function requiredStateMachineArn(config: BatchConfig): string {
  if (!config.stateMachineArn) throw new Error("CVFLOW_STATE_MACHINE_ARN is not set: the trigger starts executions of that state machine");
  return config.stateMachineArn;
}
