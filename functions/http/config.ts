/** The API function's configuration: on Lambda from its environment (apiConfig); locally the stack builds it (api-handler.ts takes it). */

export interface ApiConfig {
  /** CVFLOW_BUCKET: workflows, keys, uploads and offloaded results. */
  bucket: string;
  /** AWS_REGION (set by Lambda); default us-east-1. */
  region: string;
  /** CVFLOW_S3_ENDPOINT: an S3-protocol server other than AWS (locally, the loopback one). */
  s3Endpoint: string | undefined;
  /** CVFLOW_MODELS_DIR: registry.json and the ONNX files; default ./models. */
  modelsDir: string | undefined;
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
  /** CVFLOW_BLOCKS_MODULE: a module whose `blocks` export is registered next to the core blocks. */
  blocksModule: string | undefined;
  /** CVFLOW_STATE_MACHINE_ARN: the batch state machine, which abort and restart stop and start; without it they answer 501. */
  stateMachineArn: string | undefined;
  /** CVFLOW_URL_ALLOW_HOSTS: private hosts and address ranges image URLs may reach (packages/vision url-allow-list.ts: hosts, host:port, CIDRs); none by default. */
  urlAllowHosts: string | undefined;
  /** Never from the environment: given in-process (the local stack's S3 server); otherwise the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function apiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const bucket = env["CVFLOW_BUCKET"];
  if (!bucket) throw new Error("CVFLOW_BUCKET is not set: the API needs its S3 bucket");
  return {
    bucket,
    region: env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || "us-east-1",
    s3Endpoint: env["CVFLOW_S3_ENDPOINT"] || undefined,
    modelsDir: env["CVFLOW_MODELS_DIR"] || undefined,
    tokenSecret: env["CVFLOW_TOKEN_SECRET"] || undefined,
    runDeadlineMs: milliseconds(env, "CVFLOW_RUN_DEADLINE_MS", 20_000),
    deadlineMarginMs: milliseconds(env, "CVFLOW_DEADLINE_MARGIN_MS", 1_000),
    offloadLargeResponses: env["CVFLOW_OFFLOAD_LARGE_RESPONSES"]?.trim().toLowerCase() !== "false",
    cacheTtlMs: milliseconds(env, "CVFLOW_CACHE_TTL_MS", 30_000),
    blocksModule: env["CVFLOW_BLOCKS_MODULE"] || undefined,
    stateMachineArn: env["CVFLOW_STATE_MACHINE_ARN"] || undefined,
    urlAllowHosts: env["CVFLOW_URL_ALLOW_HOSTS"] || undefined,
  };
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds; got ${JSON.stringify(text)}`);
  return value;
}
