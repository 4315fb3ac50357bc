/**
 * The whole service on one machine: the S3-protocol server on loopback (bucket created, data
 * under .data/), the demo workspace seeded with the example workflows and a dev API key, and the
 * Function-URL gateway in front of the very handler of functions/api.ts — made by its factory with
 * this stack's configuration (local-api.ts) — and batch jobs: the batch state machine run locally, started by
 * uploads of `batches/{job}/job.json` as the S3 trigger starts it on AWS (local-batch.ts) — and async runs:
 * the durable function of functions/runs on the durable-execution SDK's local runner, the unfinished
 * runs of the data folder taken up again at start (local-runs.ts) — and video pipelines (Roboflow's
 * `/inference_pipelines/*`) in this process (local-inference-pipelines.ts).
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkflowEngine } from "@cvflow/engine";
import { createS3Client, S3ApiKeyStore, S3WorkflowStore } from "@cvflow/store";
import { checkWorkspaceNotReserved } from "@cvflow/service";
import { startGateway } from "./gateway.js";
import { IdleCollection } from "./idle-collection.js";
import { localApiHandler } from "./local-api.js";
import { LocalInferencePipelines } from "./local-inference-pipelines.js";
import { startLocalBatch, type LocalBatch, type LocalBatchOptions } from "./local-batch.js";
import type { LocalStateMachine } from "./local-runner.js";
import { PortInUseError, type PortOwner } from "./listen.js";
import { startLocalRuns, type LocalRuns } from "./local-runs.js";
import { localSecrets } from "./local-secrets.js";
import { startS3Server, type S3Server } from "./s3-server.js";
import { seedLocalData } from "./seed.js";
import { dataDir as dataDirSetting, gatewayPort, LOCAL_BUCKET, s3Port } from "./stack-settings.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
/** How often the API ends runs stuck past their limits (and their grace) as `timed_out`. */
const REAP_RUNS_EVERY_MS = 30_000;

export interface LocalStackOptions {
  /** Gateway port; default PORT or 9001; 0 picks a free one. */
  port?: number;
  /** S3 server port; default CVFLOW_S3_PORT or 4568; 0 picks a free one. */
  s3Port?: number;
  /** Default CVFLOW_DATA_DIR or .data. */
  dataDir?: string;
  bucket?: string;
  workspace?: string;
  /** Default CVFLOW_DEV_API_KEY, else one made once and kept in the data folder. */
  apiKey?: string;
  /** Workflows seeded into the workspace; default examples/; null for none. */
  examplesDir?: string | null;
  /** Settings for the functions, as their environment would give them (see functions/http/config.ts): e.g. CVFLOW_BLOCKS_MODULE. */
  env?: Record<string, string>;
  /** The Lambda timeout the gateway's context counts down from; default 30 s. */
  timeoutMs?: number;
  /** The batch state machine's parameters (worker timeout, batch size, concurrency); default as deployed. */
  batch?: LocalBatchOptions;
}

export interface LocalStack {
  url: string;
  apiKey: string;
  workspace: string;
  s3: S3Server;
  /** Example workflows this start saved (none when they were there already). */
  seeded: string[];
  /** The local batch state machine: its executions, to wait for or inspect. */
  batch: LocalStateMachine;
  /** Async runs this start took up again (queued, running or waiting when the last stack on this data stopped). */
  resumedRuns: string[];
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir === undefined ? dataDirSetting() : resolve(options.dataDir);
  const bucket = options.bucket ?? LOCAL_BUCKET;
  const workspace = options.workspace ?? "demo";
  checkWorkspaceNotReserved(workspace);
  const port = options.port ?? gatewayPort();
  const s3 = await startS3Server({ bucket, dataDir, port: options.s3Port ?? s3Port() }).catch(portOwnedBy({ server: "the S3 server", variable: "CVFLOW_S3_PORT" }));
  let batch: LocalBatch | undefined;
  let runs: LocalRuns | undefined;
  let videoPipelines: LocalInferencePipelines | undefined;
  /** Aborted when the stack closes: what the API runs on an interval (the reaper) stops. */
  const life = new AbortController();
  try {
    const { apiKey, tokenSecret, webhookSecret } = await localSecrets(dataDir, options.apiKey ?? process.env["CVFLOW_DEV_API_KEY"]);
    const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials });
    const seeded = await seedLocalData({
      keys: new S3ApiKeyStore(client, bucket),
      store: new S3WorkflowStore(client, bucket),
      workspace,
      apiKey,
      examplesDir: options.examplesDir === undefined ? resolve(REPO, "examples") : options.examplesDir,
    });
    // local_file_sink writes in the data folder unless the environment names another.
    const fileRoot = { CVFLOW_LOCAL_FILE_ROOT: process.env["CVFLOW_LOCAL_FILE_ROOT"] || join(dataDir, "files") };
    // The batch functions are made with their configuration: these settings, this stack's S3 server.
    batch = await startLocalBatch({ repo: REPO, s3, client, settings: { ...process.env, ...fileRoot, ...options.env }, tuning: options.batch });
    // The API's state machine (for abort and restart) is the local one.
    // Streamed as deployed (infra's Function URL is RESPONSE_STREAM); CVFLOW_INVOKE_MODE=BUFFERED in `env` tries the other mode.
    // The runs' webhooks are signed with the data folder's secret (local-secrets.json) unless the environment names one.
    const settings = { ...process.env, ...fileRoot, CVFLOW_TOKEN_SECRET: tokenSecret, CVFLOW_WEBHOOK_SECRET: process.env["CVFLOW_WEBHOOK_SECRET"] ?? webhookSecret, CVFLOW_INVOKE_MODE: "RESPONSE_STREAM", ...options.env, CVFLOW_STATE_MACHINE_ARN: batch.stateMachineArn };
    // Async runs: the durable function of functions/runs on the SDK's local runner, which the API starts them with.
    runs = await startLocalRuns({ repo: REPO, s3, client, settings });
    // Video pipelines (Roboflow's /inference_pipelines/*) live in this process, over the API's engine; closing the stack terminates them.
    const pipelines = (engine: WorkflowEngine) => (videoPipelines = new LocalInferencePipelines(engine));
    const handler = await localApiHandler({ repo: REPO, s3, settings, runs: { runsRunner: runs.runner, reapRunsEveryMs: REAP_RUNS_EVERY_MS, closed: life.signal, pipelines } });
    const idle = new IdleCollection();
    const gateway = await startGateway({ port, handler, timeoutMs: options.timeoutMs ?? 30_000, idle }).catch(portOwnedBy({ server: "the API gateway", variable: "PORT" }));
    const running = batch;
    const durable = runs;
    return {
      url: gateway.url,
      apiKey,
      workspace,
      s3,
      seeded,
      batch: running.runner,
      resumedRuns: durable.resumed,
      async close() {
        life.abort();
        await gateway.close();
        idle.stop();
        await videoPipelines?.close();
        await durable.close();
        await running.close();
        await s3.stop();
      },
    };
  } catch (error) {
    life.abort();
    await runs?.close();
    await batch?.close();
    await s3.stop();
    throw error;
  }
}

/** A port in use, said with the server that wanted it and the variable that moves it. */
function portOwnedBy(owner: PortOwner): (error: unknown) => never {
  return (error) => {
    throw error instanceof PortInUseError ? error.ownedBy(owner) : error;
  };
}
