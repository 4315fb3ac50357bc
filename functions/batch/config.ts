/**
 * The batch functions' configuration: on Lambda from their environment (batchConfig, as
 * functions/http/config.ts does for the API); locally the stack builds it and hands it to each
 * function's factory (prepare.ts, worker.ts, finalize.ts, trigger.ts beside this file).
 */

export interface BatchConfig {
  /** CVFLOW_BUCKET: jobs, their manifests and statuses, workflows. */
  bucket: string;
  /** AWS_REGION (set by Lambda); default us-east-1. */
  region: string;
  /** CVFLOW_S3_ENDPOINT: an S3-protocol server other than AWS (locally, the loopback one). */
  s3Endpoint: string | undefined;
  /** CVFLOW_STATE_MACHINE_ARN: the batch state machine (the trigger starts it; locally, the runner registered under it). */
  stateMachineArn: string | undefined;
  /** CVFLOW_MODELS_DIR: registry.json and the ONNX files; default ./models. */
  modelsDir: string | undefined;
  /** CVFLOW_BLOCKS_MODULE: a module whose `blocks` export is registered next to the core blocks. */
  blocksModule: string | undefined;
  /** CVFLOW_BATCH_FAULTS: JSON of a FaultInjector's spec — tests only; unset in any deployment. */
  faults: string | undefined;
  /** CVFLOW_URL_ALLOW_HOSTS: private hosts and address ranges image URLs may reach, as for the API. */
  urlAllowHosts: string | undefined;
  /** Never from the environment: given in-process (the local stack's S3 server); otherwise the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function batchConfig(env: NodeJS.ProcessEnv = process.env): BatchConfig {
  const bucket = env["CVFLOW_BUCKET"];
  if (!bucket) throw new Error("CVFLOW_BUCKET is not set: the batch functions need their S3 bucket");
  return {
    bucket,
    region: env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || "us-east-1",
    s3Endpoint: env["CVFLOW_S3_ENDPOINT"] || undefined,
    stateMachineArn: env["CVFLOW_STATE_MACHINE_ARN"] || undefined,
    modelsDir: env["CVFLOW_MODELS_DIR"] || undefined,
    blocksModule: env["CVFLOW_BLOCKS_MODULE"] || undefined,
    faults: env["CVFLOW_BATCH_FAULTS"] || undefined,
    urlAllowHosts: env["CVFLOW_URL_ALLOW_HOSTS"] || undefined,
  };
}

/** The state machine's ARN, which the trigger cannot do without. */
export function requiredStateMachineArn(config: BatchConfig): string {
  if (!config.stateMachineArn) throw new Error("CVFLOW_STATE_MACHINE_ARN is not set: the trigger starts executions of that state machine");
  return config.stateMachineArn;
}
