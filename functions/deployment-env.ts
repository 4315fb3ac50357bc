/**
 * The settings every function of a deployment reads from its environment the same way (infra sets
 * them on each Lambda): where its S3 bucket is, its models, extra blocks, the batch state machine
 * and the private hosts image URLs may reach, where the services blocks call live and where s3_sink
 * may write. functions/http/config.ts and functions/batch/config.ts add what is theirs.
 */
import { endpointsFromEnv, type Provider } from "@cvflow/blocks/egress-endpoints";
import { s3SinkBuckets, s3SinkPrefix } from "@cvflow/blocks/s3-sink-settings";

export interface S3Connection {
  /** AWS_REGION (set by Lambda), else AWS_DEFAULT_REGION; default us-east-1. */
  region: string;
  /** CVFLOW_S3_ENDPOINT: an S3-protocol server other than AWS (locally, the loopback one). */
  s3Endpoint: string | undefined;
  /** Never from the environment: given in-process (the local stack's S3 server); otherwise the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface DeploymentEnv extends S3Connection {
  /** CVFLOW_BUCKET: workflows, keys, uploads, jobs and results. */
  bucket: string;
  /** CVFLOW_MODELS_DIR: registry.json and the ONNX files; default ./models. */
  modelsDir: string | undefined;
  /** CVFLOW_BLOCKS_MODULE: a module whose `blocks` export is registered next to the core blocks. */
  blocksModule: string | undefined;
  /** CVFLOW_STATE_MACHINE_ARN: the batch state machine. */
  stateMachineArn: string | undefined;
  /** CVFLOW_URL_ALLOW_HOSTS: private hosts and address ranges image URLs may reach (packages/vision url-allow-list.ts); none by default. */
  urlAllowHosts: string | undefined;
  /** CVFLOW_<PROVIDER>_BASE_URL: where a hosted model's or a notification service's API is reached instead of its official address. */
  endpoints: Partial<Record<Provider, string>>;
  /** CVFLOW_S3_SINK_PREFIX (default `sinks/`) and CVFLOW_S3_SINK_BUCKETS: where s3_sink writes with the function's role (@cvflow/blocks/s3-sink-settings). */
  s3Sink: { prefix: string; buckets: string[] };
  /** CVFLOW_LOCAL_FILE_ROOT: the folder local_file_sink writes under; default /tmp on Lambda (the only place it can write), else none: the sink cannot run. */
  localFileRoot: string | undefined;
}

export function s3Connection(env: NodeJS.ProcessEnv): S3Connection {
  return { region: env["AWS_REGION"] || env["AWS_DEFAULT_REGION"] || "us-east-1", s3Endpoint: setting(env, "CVFLOW_S3_ENDPOINT") };
}

/** `needsBucket` ends the error for a missing CVFLOW_BUCKET: who needs it, e.g. "the API needs its S3 bucket". */
export function deploymentEnv(env: NodeJS.ProcessEnv, needsBucket: string): DeploymentEnv {
  const bucket = env["CVFLOW_BUCKET"];
  if (!bucket) throw new Error(`CVFLOW_BUCKET is not set: ${needsBucket}`);
  return {
    bucket,
    ...s3Connection(env),
    modelsDir: setting(env, "CVFLOW_MODELS_DIR"),
    blocksModule: setting(env, "CVFLOW_BLOCKS_MODULE"),
    stateMachineArn: setting(env, "CVFLOW_STATE_MACHINE_ARN"),
    urlAllowHosts: setting(env, "CVFLOW_URL_ALLOW_HOSTS"),
    endpoints: endpointsFromEnv(env),
    s3Sink: { prefix: s3SinkPrefix(env), buckets: s3SinkBuckets(env) },
    localFileRoot: setting(env, "CVFLOW_LOCAL_FILE_ROOT") ?? (env["AWS_LAMBDA_FUNCTION_NAME"] ? "/tmp" : undefined),
  };
}

/** A variable's value; unset and empty are the same. */
export function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || undefined;
}

/** A variable that holds milliseconds (0 or more); `fallback` when unset or empty. */
export function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds; got ${JSON.stringify(text)}`);
  return value;
}
