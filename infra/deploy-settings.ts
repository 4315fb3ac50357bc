/**
 * What a deployment may choose, read from the environment `sst deploy` runs in (docs/deploy.md:
 * Configuration). A plain module: sst.config.ts reads it, the tests give it environments.
 */
import { endpointsFromEnv, endpointVariable, PROVIDERS } from "@cvflow/blocks/egress-endpoints";
import { S3_SINK_BUCKETS_VARIABLE, S3_SINK_PREFIX_VARIABLE, s3SinkBuckets, s3SinkPrefix } from "@cvflow/blocks/s3-sink-settings";
import { SECRETS_PREFIXES_VARIABLE, secretRefusal } from "@cvflow/blocks/secret-names";

export type UrlAuth = "NONE" | "AWS_IAM";

export interface DeploySettings {
  /** CVFLOW_URL_AUTH: NONE (default; the app's API keys guard the routes) or AWS_IAM (SigV4-signed callers only). */
  urlAuth: UrlAuth;
  /** CVFLOW_API_RESERVED_CONCURRENCY: the API's reserved concurrency, also its ceiling; default 25; `none` reserves nothing. */
  apiReservedConcurrency: number | undefined;
  /** CVFLOW_API_PROVISIONED_CONCURRENCY: instances kept initialized (no cold start, billed while idle); default 0. */
  apiProvisionedConcurrency: number;
  /** CVFLOW_UPLOAD_ORIGINS: comma-separated origins whose browsers may PUT presigned uploads; default `*`. */
  uploadOrigins: string[];
  /** CVFLOW_LOG_RETENTION_DAYS: how long the functions' and the state machine's logs are kept; default 30. */
  logRetentionDays: number;
  /** CVFLOW_URL_ALLOW_HOSTS: private hosts image URLs may reach, passed to the API and the batch steps as it is; default none. */
  urlAllowHosts: string | undefined;
  /**
   * The secrets workflows may read (environment_secrets_store): every variable of the deploying
   * environment whose name the block's rule lets a workflow read (prefix WORKFLOW_SECRET_, or those
   * CVFLOW_SECRETS_ENV_PREFIXES lists, which is passed on too), given to the functions that run workflows.
   */
  workflowSecrets: Record<string, string>;
  /**
   * Where blocks call out, passed as they are to the functions that run workflows (checked here, so
   * a wrong one stops the deploy): CVFLOW_<PROVIDER>_BASE_URL, CVFLOW_S3_SINK_PREFIX,
   * CVFLOW_S3_SINK_BUCKETS, CVFLOW_LOCAL_FILE_ROOT.
   */
  egress: Record<string, string>;
  /** CVFLOW_S3_SINK_BUCKETS: the buckets s3_sink may write with the functions' role, which their IAM grants s3:PutObject in. */
  s3SinkBuckets: string[];
}

/** The variables of `egress` (DeploySettings), besides each provider's base URL. */
const EGRESS_VARIABLES = [S3_SINK_PREFIX_VARIABLE, S3_SINK_BUCKETS_VARIABLE, "CVFLOW_LOCAL_FILE_ROOT"];

/** The values CloudWatch Logs accepts for a log group's retention. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function deploySettings(env: Record<string, string | undefined>): DeploySettings {
  const urlAuth = (env["CVFLOW_URL_AUTH"] || "NONE").toUpperCase();
  if (urlAuth !== "NONE" && urlAuth !== "AWS_IAM") throw new Error(`CVFLOW_URL_AUTH must be NONE or AWS_IAM; got ${JSON.stringify(env["CVFLOW_URL_AUTH"])}`);
  const reserved = env["CVFLOW_API_RESERVED_CONCURRENCY"]?.trim().toLowerCase();
  const logRetentionDays = count(env, "CVFLOW_LOG_RETENTION_DAYS", "30");
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) throw new Error(`CVFLOW_LOG_RETENTION_DAYS must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  const settings: DeploySettings = {
    urlAuth,
    apiReservedConcurrency: reserved === "none" ? undefined : count(env, "CVFLOW_API_RESERVED_CONCURRENCY", "25"),
    apiProvisionedConcurrency: count(env, "CVFLOW_API_PROVISIONED_CONCURRENCY", "0"),
    uploadOrigins: (env["CVFLOW_UPLOAD_ORIGINS"] || "*").split(",").map((origin) => origin.trim()).filter((origin) => origin !== ""),
    logRetentionDays,
    urlAllowHosts: env["CVFLOW_URL_ALLOW_HOSTS"]?.trim() || undefined,
    workflowSecrets: workflowSecrets(env),
    egress: egress(env),
    s3SinkBuckets: s3SinkBuckets(env),
  };
  if (settings.apiReservedConcurrency !== undefined && settings.apiProvisionedConcurrency > settings.apiReservedConcurrency) {
    throw new Error("CVFLOW_API_PROVISIONED_CONCURRENCY cannot exceed CVFLOW_API_RESERVED_CONCURRENCY");
  }
  return settings;
}

function workflowSecrets(env: Record<string, string | undefined>): Record<string, string> {
  const secrets = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && secretRefusal(entry[0], env) === undefined);
  const prefixes = env[SECRETS_PREFIXES_VARIABLE];
  return Object.fromEntries(prefixes === undefined ? secrets : [...secrets, [SECRETS_PREFIXES_VARIABLE, prefixes]]);
}

function egress(env: Record<string, string | undefined>): Record<string, string> {
  endpointsFromEnv(env);
  s3SinkPrefix(env);
  // On Lambda only /tmp can be written (the functions' default, functions/deployment-env.ts).
  const fileRoot = env["CVFLOW_LOCAL_FILE_ROOT"];
  if (fileRoot && !/^\/tmp(\/|$)/.test(fileRoot)) throw new Error(`CVFLOW_LOCAL_FILE_ROOT must be /tmp or a folder in it (the only place a Lambda function can write); got ${JSON.stringify(fileRoot)}`);
  const names = [...PROVIDERS.map(endpointVariable), ...EGRESS_VARIABLES];
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

function count(env: Record<string, string | undefined>, name: string, fallback: string): number {
  const text = env[name] || fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number; got ${JSON.stringify(text)}`);
  return value;
}
