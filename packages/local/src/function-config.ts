/**
 * How the local stack configures the very functions a deployment runs (functions/http, functions/batch):
 * each module is loaded by path (functions/ is no package), the function's own parser reads the
 * stack's settings as on AWS it reads the environment, with this stack's S3 server given, and
 * the result goes to the function's factory — nothing is written to process.env.
 */
import { resolve } from "node:path";
import type { S3Server } from "./s3-server.js";

/** Environment-shaped settings, as a deployment gives a function (CVFLOW_BLOCKS_MODULE, CVFLOW_BATCH_FAULTS, ...). */
export type FunctionSettings = Record<string, string | undefined>;

/** A function's configuration: opaque here but for what the stack adds, its S3 server's credentials. */
export interface FunctionConfig {
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The module `file` of functions/`folder`, typed as the caller describes it. */
export async function loadFunctionModule<T>(repo: string, folder: string, file: string): Promise<T> {
  return (await import(resolve(repo, "functions", folder, file))) as T;
}

/** `parse` (the function's own) over `settings`, on this stack's bucket, endpoint, region and credentials. */
export function stackFunctionConfig<C extends FunctionConfig>(parse: (env: FunctionSettings) => C, settings: FunctionSettings, s3: S3Server): C {
  return { ...parse({ ...settings, CVFLOW_BUCKET: s3.bucket, CVFLOW_S3_ENDPOINT: s3.endpoint, AWS_REGION: s3.region }), credentials: s3.credentials };
}
