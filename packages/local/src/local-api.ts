/**
 * The API function as the local stack runs it: functions/http's own parser reads the stack's
 * settings as on AWS it reads the environment, and its factory makes the very handler a Lambda
 * runs, on this stack's S3 server with its credentials (function-config.ts). As on Lambda, the
 * `awslambda` global is there for a function in RESPONSE_STREAM mode (lambda-streaming.ts).
 */
import type { WorkflowEngine } from "@cvflow/engine";
import type { DurableRunner } from "@cvflow/runs";
import type { InferencePipelines } from "@cvflow/service";
import { loadFunctionModule, stackFunctionConfig, type FunctionConfig, type FunctionSettings } from "./function-config.js";
import type { LambdaHttpHandler } from "./gateway.js";
import { installLambdaStreamingRuntime } from "./lambda-streaming.js";
import type { S3Server } from "./s3-server.js";

/** What functions/http exports: the configuration's parser and the API's factory. */
interface ApiFunction {
  config: { apiConfig(env: FunctionSettings): FunctionConfig };
  /** What only an in-process caller gives (functions/http/config.ts): the runner of async runs, how often stuck runs are reaped. */
  factory: { createApiHandler(config: FunctionConfig & LocalRunsSettings): Promise<LambdaHttpHandler> };
}

/** What the stack gives the API in-process: its async runs, and its video pipelines. */
export interface LocalRunsSettings {
  /** The stack's runner of async runs (local-runs.ts). */
  runsRunner?: DurableRunner;
  /** How often the API reaps runs stuck past their limits (a Lambda reaps at each cold start; the stack lives long). */
  reapRunsEveryMs?: number;
  /** Fires when the stack closes: the reaping ends. */
  closed?: AbortSignal;
  /** Makes the stack's video pipelines over the API's engine (local-inference-pipelines.ts). */
  pipelines?: (engine: WorkflowEngine) => InferencePipelines;
}

export async function localApiHandler(options: { repo: string; s3: S3Server; settings: FunctionSettings; runs?: LocalRunsSettings }): Promise<LambdaHttpHandler> {
  const load = <T>(file: string): Promise<T> => loadFunctionModule<T>(options.repo, "http", file);
  const api: ApiFunction = { config: await load("config.ts"), factory: await load("api-handler.ts") };
  installLambdaStreamingRuntime();
  return api.factory.createApiHandler({ ...stackFunctionConfig(api.config.apiConfig, options.settings, options.s3), ...options.runs });
}
