/**
 * The deployment's Lambda functions: each one's entry point, its command in the image, memory and
 * timeout. A plain module: `npm run build` bundles these entries, infra/engine.ts and
 * infra/batch.ts deploy them with these values, the Dockerfile's CMD is the API's command, and the
 * tests read them from here.
 */
import { BATCH_TIMEOUTS } from "@cvflow/batch/definition";

/** A run's deadline (CVFLOW_RUN_DEADLINE_MS, functions/http/config.ts); the API's Lambda timeout stays above it. */
export const RUN_DEADLINE_MS = 20_000;

/**
 * An async run's limit (CVFLOW_RUN_LIMIT_MS, read by the API and the runs function): one segment
 * of a run executes within one invocation of the runs function, whose timeout (15 min, Lambda's
 * most) stays above it with room to write the run's record and events.
 */
export const RUN_LIMIT_MS = 14 * 60_000;

/**
 * The runs function's durable execution (Lambda durable functions): a run may wait for a person
 * for days (`wait_for_input`, nothing billed while it waits) — the execution's own timeout is
 * above any wait a step asks for by default; its state is kept two weeks after it ends.
 */
export const RUNS_DURABLE = { executionTimeoutSeconds: 7 * 24 * 3600, retentionDays: 14 } as const;

/**
 * The API's Function URL invoke mode (CVFLOW_INVOKE_MODE says the same to the function):
 * RESPONSE_STREAM, so that event streams go out as they come; JSON answers keep the 6 MB policy.
 */
export const API_INVOKE_MODE = "RESPONSE_STREAM";

/** Where the image holds the functions' files (Lambda's LAMBDA_TASK_ROOT, also its working directory). */
export const TASK_ROOT = "/var/task";

export interface FunctionSettings {
  /** Its entry point, relative to the repository. */
  entry: string;
  /** Its bundle's name: `.build/functions/{bundle}.mjs`, `{TASK_ROOT}/{bundle}.mjs` in the image. */
  bundle: string;
  /** Lambda's handler string for it, the image's command: `{bundle}.handler`. */
  command: string;
  /** 1769 MB is one vCPU; 3008 MB about two (and the most a new account may set). */
  memoryMb: number;
  timeoutSeconds: number;
  /** /tmp's size when above Lambda's 512 MB default. */
  ephemeralStorageMb?: number;
}

function lambda(bundle: string, memoryMb: number, timeoutSeconds: number, ephemeralStorageMb?: number): FunctionSettings {
  return { entry: `functions/${bundle}.ts`, bundle, command: `${bundle}.handler`, memoryMb, timeoutSeconds, ...(ephemeralStorageMb === undefined ? {} : { ephemeralStorageMb }) };
}

export const FUNCTIONS = {
  // 30 s: the 20 s run deadline, the 1 s margin the handler keeps to answer, and room for a cold start.
  api: lambda("api", 3008, 30),
  batchTrigger: lambda("batch-trigger", 512, 30),
  batchPrepare: lambda("batch-prepare", 1024, BATCH_TIMEOUTS.prepareSeconds),
  // Each Task's TimeoutSeconds in the state machine equals its function's timeout (@cvflow/batch/definition).
  batchWorker: lambda("batch-worker", 3008, BATCH_TIMEOUTS.workerSeconds),
  // A video job's replay (docs/batch.md, Video jobs) runs the workflow's stateful part, draws and
  // encodes with x264 (two vCPUs), and writes its rows and mp4 parts to /tmp before uploading them.
  batchFinalize: lambda("batch-finalize", 3008, BATCH_TIMEOUTS.finalizeSeconds, 4096),
  // Async runs (functions/runs.ts), a durable function: each invocation at most 15 min (RUN_LIMIT_MS below it).
  runs: lambda("runs", 3008, 900),
} as const satisfies Record<string, FunctionSettings>;
