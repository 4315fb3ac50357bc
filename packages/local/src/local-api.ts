/**
 * The API function as the local stack runs it: functions/http's own parser reads the stack's
 * settings as on AWS it reads the environment, and its factory makes the very handler a Lambda
 * runs, on this stack's S3 server with its credentials.
 */
import { resolve } from "node:path";
import type { LambdaHttpHandler } from "./gateway.js";
import type { S3Server } from "./s3-server.js";

/** Environment-shaped settings, as a deployment gives the function (CVFLOW_BUCKET, CVFLOW_BLOCKS_MODULE, ...). */
type Settings = Record<string, string | undefined>;

/** What functions/http exports, loaded by path (functions/ is no package); the configuration is opaque here but for what the stack adds. */
interface ApiConfig {
  credentials?: { accessKeyId: string; secretAccessKey: string };
}
interface ApiFunction {
  config: { apiConfig(env: Settings): ApiConfig };
  factory: { createApiHandler(config: ApiConfig): Promise<LambdaHttpHandler> };
}

export async function localApiHandler(options: { repo: string; s3: S3Server; settings: Settings }): Promise<LambdaHttpHandler> {
  const load = async <T>(file: string): Promise<T> => (await import(resolve(options.repo, "functions/http", file))) as T;
  const api: ApiFunction = { config: await load("config.ts"), factory: await load("api-handler.ts") };
  const { s3 } = options;
  const settings = { ...options.settings, CVFLOW_BUCKET: s3.bucket, CVFLOW_S3_ENDPOINT: s3.endpoint, AWS_REGION: s3.region };
  return api.factory.createApiHandler({ ...api.config.apiConfig(settings), credentials: s3.credentials });
}
