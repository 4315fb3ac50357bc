/**
 * Async runs on one machine: the durable function of functions/runs — made by its factory with
 * this stack's configuration — executed by the durable-execution SDK's local runner
 * (LocalDurableRunner), which the API is handed to start, answer and stop runs with.
 *
 * The local runner keeps its checkpoints in memory, so a run outlives a restart of the stack
 * through its own state in S3: at start, every async run whose record is still queued, running
 * or waiting is started again as a new durable execution, which restores the run's finished steps
 * from their checkpoints and, when it waited, waits again where it waited.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { currentAttempt, executionName, isRunId, RunStore, runKeys, type DurableLambdaHandler, type DurableRunner, type RunRecord } from "@cvflow/runs";
import { loadFunctionModule, stackFunctionConfig, type FunctionConfig, type FunctionSettings } from "./function-config.js";
import { LocalDurableRunner } from "./local-durable-runner.js";
import type { S3Server } from "./s3-server.js";

/** What functions/runs exports: the configuration's parser and the durable function's factory. */
interface RunsFunction {
  config: { runsConfig(env: FunctionSettings): FunctionConfig };
  factory: { createRunsHandler(config: FunctionConfig): Promise<DurableLambdaHandler> };
}

export interface LocalRuns {
  runner: LocalDurableRunner;
  /** The runs this start took up again (ids). */
  resumed: string[];
  close(): Promise<void>;
}

export async function startLocalRuns(options: { repo: string; s3: S3Server; client: S3Client; settings: FunctionSettings }): Promise<LocalRuns> {
  const load = <T>(file: string): Promise<T> => loadFunctionModule<T>(options.repo, "runs", file);
  const runs: RunsFunction = { config: await load("config.ts"), factory: await load("handler.ts") };
  const handler = await runs.factory.createRunsHandler(stackFunctionConfig(runs.config.runsConfig, options.settings, options.s3));
  const runner = await LocalDurableRunner.create({ handler });
  try {
    const resumed = await resumeUnfinishedRuns(new RunStore(options.client, options.s3.bucket), runner);
    return { runner, resumed, close: () => runner.close() };
  } catch (error) {
    await runner.close();
    throw error;
  }
}

/** Starts a durable execution for every async run not finished (the reaper's list, runs-active/): its current attempt, named as RunsService names it. */
export async function resumeUnfinishedRuns(store: RunStore, runner: DurableRunner, log: (message: string, error: unknown) => void = console.error): Promise<string[]> {
  const resumed: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.client.send(new ListObjectsV2Command({ Bucket: store.bucket, Prefix: runKeys.active(), ContinuationToken: token }));
    token = page.NextContinuationToken;
    for (const key of (page.Contents ?? []).map((o) => o.Key!)) {
      const id = key.slice(runKeys.active().length);
      if (!isRunId(id)) continue;
      try {
        const record = await store.get(id);
        // A sync run cannot be taken up (its caller is gone, its request was never kept): the reaper ends it.
        if (!record || record.mode !== "async" || !RESUMABLE.has(record.status)) continue;
        const attempt = currentAttempt(record);
        await runner.start(executionName(id, attempt), { runId: id, attempt });
        resumed.push(id);
      } catch (error) {
        // One run that cannot be read (a record cut short by a crash of the machine) does not stop the stack.
        log(`cvflow local runs: run ${id} could not be taken up again`, error);
      }
    }
  } while (token);
  return resumed;
}

const RESUMABLE: ReadonlySet<RunRecord["status"]> = new Set(["queued", "running", "waiting"]);

