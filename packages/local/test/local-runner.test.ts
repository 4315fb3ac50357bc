/**
 * The local runner on the deployed definition (@cvflow/batch/definition), with stand-in Lambda
 * handlers over a real local S3 server: the emulated Distributed Map (ItemReader, ItemBatcher,
 * MaxConcurrency, ToleratedFailurePercentage, ResultWriter), and the library's Retry and
 * TimeoutSeconds on the Worker as the definition states them, `$$.State.RetryCount`, and the
 * Express children's five minutes and at-least-once delivery.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransientError } from "@cvflow/batch";
import { batchStateMachineDefinition, type BatchDefinitionOptions } from "@cvflow/batch/definition";
import { createS3Client } from "@cvflow/store";
import { LocalStateMachine, startS3Server, type LambdaHandler, type LocalStateMachineOptions, type S3Server } from "../src/index.js";

const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:test-batch";

let server: S3Server;
let client: S3Client;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cvflow-runner-"));
  server = await startS3Server({ bucket: "runner-test", dataDir, port: 0 });
  client = createS3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface WorkerCall {
  input: { BatchInput: Record<string, unknown>; Items: { image: string }[]; RetryCount: number };
  remainingMs: number;
}

/** A runner over the real definition whose Prepare writes `items` as the manifest; the worker and finalize are the test's. */
async function harness(
  job: string,
  items: number,
  worker: (call: WorkerCall) => Promise<unknown>,
  options: Partial<BatchDefinitionOptions> & { batchSize?: number } = {},
  runnerOptions: Pick<LocalStateMachineOptions, "runTwice" | "expressLimitSeconds"> = {},
) {
  const manifest = Array.from({ length: items }, (_, i) => ({ image: `img-${i}`, source: `s3://runner-test/in/img-${i}.jpg` }));
  await client.send(new PutObjectCommand({ Bucket: "runner-test", Key: `batches/${job}/manifest.json`, Body: JSON.stringify(manifest) }));
  const calls: WorkerCall[] = [];
  const finalized: unknown[] = [];
  const prepare = async (input: { job: string; bucket: string; execution: string; defaults: { batch_size: number; max_concurrency: number; tolerated_failure_percentage: number } }) => ({
    job: input.job,
    bucket: input.bucket,
    execution: input.execution,
    manifest_key: `batches/${input.job}/manifest.json`,
    map_results_prefix: `batches/${input.job}/map-results/`,
    total: items,
    batch_size: input.defaults.batch_size,
    max_concurrency: input.defaults.max_concurrency,
    tolerated_failure_percentage: input.defaults.tolerated_failure_percentage,
    workflow_version_id: null,
    check_done: false,
  });
  const definition = batchStateMachineDefinition({
    prepareArn: ARN("prepare"),
    workerArn: ARN("worker"),
    finalizeArn: ARN("finalize"),
    batchSize: 5,
    maxConcurrency: 2,
    toleratedFailurePercentage: 10,
    workerTimeoutSeconds: 5,
    ...options,
  });
  const runner = new LocalStateMachine({
    definition,
    stateMachineArn: STATE_MACHINE,
    functions: {
      [ARN("prepare")]: prepare as LambdaHandler,
      [ARN("worker")]: (async (input: WorkerCall["input"], context: Context) => {
        const call = { input, remainingMs: context.getRemainingTimeInMillis() };
        calls.push(call);
        return worker(call);
      }) as LambdaHandler,
      [ARN("finalize")]: (async (input: unknown) => (finalized.push(input), { finalized: true })) as LambdaHandler,
    },
    // A context on a stopped clock: the remaining time is exactly what the runner handed over.
    lambdaContext: (_name, timeoutMs) => ({ getRemainingTimeInMillis: () => timeoutMs }) as Context,
    s3: client,
    log: () => undefined,
    ...runnerOptions,
  });
  return { runner, calls, finalized };
}

const readJson = async (key: string) => JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: "runner-test", Key: key }))).Body!.transformToString());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the local Distributed Map", () => {
  it("reads the manifest, batches it with the BatchInput, keeps to MaxConcurrency and writes the results as Step Functions does", async () => {
    let inFlight = 0;
    let most = 0;
    const { runner, calls, finalized } = await harness("plain", 23, async ({ input }) => {
      most = Math.max(most, ++inFlight);
      await sleep(30);
      inFlight--;
      return { images: input.Items.length, first: input.Items[0]!.image };
    });
    expect(await runner.start("plain-1", { job: "plain", bucket: "runner-test" })).toEqual({ started: true });
    expect(await runner.start("plain-1", { job: "plain", bucket: "runner-test" })).toEqual({ started: false });
    const outcome = await runner.wait("plain-1");
    expect(outcome.status).toBe("SUCCEEDED");
    expect(calls.map((c) => c.input.Items.length)).toEqual([5, 5, 5, 5, 3]);
    expect(calls[0]!.input.BatchInput).toEqual({ job: "plain", bucket: "runner-test", check_done: false });
    expect(calls.map((c) => c.input.RetryCount)).toEqual([0, 0, 0, 0, 0]);
    expect(calls.flatMap((c) => c.input.Items.map((item) => item.image))).toEqual(Array.from({ length: 23 }, (_, i) => `img-${i}`));
    expect(most).toBe(2);

    // Finalize gets Prepare's state with the map's output at $.map: where the ResultWriter's manifest is.
    const state = finalized[0] as { execution: string; map: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } };
    expect(state.execution).toBe("plain-1");
    const { Key: key } = state.map.ResultWriterDetails;
    expect(key).toMatch(/^batches\/plain\/map-results\/[0-9a-f-]{36}\/manifest\.json$/);
    const manifest = await readJson(key);
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    const succeeded = await readJson(manifest.ResultFiles.SUCCEEDED[0].Key);
    expect(succeeded).toHaveLength(5);
    expect(succeeded.map((entry: { Output: string }) => JSON.parse(entry.Output).images)).toEqual([5, 5, 5, 5, 3]);
    expect(succeeded[0]).toMatchObject({ Status: "SUCCEEDED", Name: "0" });
  });

  it("retries a worker's cvflow.TransientError with the definition's Retry, and a stalled one after its TimeoutSeconds", async () => {
    const attempts = new Map<string, number>();
    const { runner, calls, finalized } = await harness(
      "flaky",
      15,
      async ({ input }) => {
        const first = input.Items[0]!.image;
        const attempt = (attempts.get(first) ?? 0) + 1;
        attempts.set(first, attempt);
        if (first === "img-0" && attempt === 1) throw new TransientError("S3 said SlowDown");
        if (first === "img-5" && attempt === 1) await sleep(1500); // past the Task's 1 s timeout
        return { ok: true };
      },
      { workerTimeoutSeconds: 1 },
    );
    await runner.start("flaky-1", { job: "flaky", bucket: "runner-test" });
    expect((await runner.wait("flaky-1")).status).toBe("SUCCEEDED");
    expect(Object.fromEntries(attempts)).toEqual({ "img-0": 2, "img-5": 2, "img-10": 1 });
    // $$.State.RetryCount, which the worker reads to check for images done before computing them.
    const retryCounts = (first: string) => calls.filter((c) => c.input.Items[0]!.image === first).map((c) => c.input.RetryCount);
    expect([retryCounts("img-0"), retryCounts("img-5"), retryCounts("img-10")]).toEqual([[0, 1], [0, 1], [0]]);
    // The context's remaining time is the Task's TimeoutSeconds.
    for (const call of calls) expect(call.remainingMs).toBe(1000);
    expect((finalized[0] as { map_error?: unknown }).map_error).toBeUndefined();
  });

  it("fails the map past ToleratedFailurePercentage, still writes its results, and goes on to Finalize through the Catch", async () => {
    const { runner, finalized } = await harness("broken", 20, async ({ input }) => {
      if (["img-0", "img-10"].includes(input.Items[0]!.image)) throw new Error("not retryable");
      return { ok: true };
    });
    await runner.start("broken-1", { job: "broken", bucket: "runner-test" });
    expect((await runner.wait("broken-1")).status).toBe("SUCCEEDED");
    const state = finalized[0] as { map?: unknown; map_error?: { Error: string; Cause: string } };
    expect(state.map).toBeUndefined();
    expect(state.map_error?.Error).toBe("States.ExceedToleratedFailureThreshold");
    // The first failed batch (5 of 20 items, past 10 %) fails the map run at once; its results are written all the same.
    expect(state.map_error?.Cause).toContain("5 of 20 items failed");
    const listed = await client.send(new ListObjectsV2Command({ Bucket: "runner-test", Prefix: "batches/broken/map-results/" }));
    const keys = (listed.Contents ?? []).map((object) => object.Key!.replace(/[0-9a-f-]{36}/, "{run}"));
    expect(keys).toContain("batches/broken/map-results/{run}/manifest.json");
    expect(keys).toContain("batches/broken/map-results/{run}/FAILED_0.json");
  });

  it("tolerates failures within ToleratedFailurePercentage, listing them in FAILED_0.json", async () => {
    const { runner, finalized } = await harness(
      "tolerated",
      20,
      async ({ input }) => {
        if (input.Items[0]!.image === "img-0") throw new Error("not retryable");
        return { ok: true };
      },
      { toleratedFailurePercentage: 25 },
    );
    await runner.start("tolerated-1", { job: "tolerated", bucket: "runner-test" });
    await runner.wait("tolerated-1");
    const state = finalized[0] as { map: { ResultWriterDetails: { Key: string } } };
    const manifest = await readJson(state.map.ResultWriterDetails.Key);
    const failed = await readJson(manifest.ResultFiles.FAILED[0].Key);
    expect(failed).toEqual([expect.objectContaining({ Status: "FAILED", Error: "Error", Cause: "not retryable" })]);
  });

  it("fails an Express child that runs past its limit with States.Timeout, counted against the tolerated failures", async () => {
    const { runner, finalized } = await harness(
      "express-limit",
      10,
      async ({ input }) => {
        if (input.Items[0]!.image === "img-0") await sleep(3000); // within the Task's 5 s, past the child's 0.5 s
        return { ok: true };
      },
      { toleratedFailurePercentage: 50 },
      { expressLimitSeconds: 0.5 },
    );
    await runner.start("express-limit-1", { job: "express-limit", bucket: "runner-test" });
    expect((await runner.wait("express-limit-1")).status).toBe("SUCCEEDED");
    const state = finalized[0] as { map: { ResultWriterDetails: { Key: string } } };
    const manifest = await readJson(state.map.ResultWriterDetails.Key);
    const failed = await readJson(manifest.ResultFiles.FAILED[0].Key);
    expect(failed).toEqual([expect.objectContaining({ Name: "0", Status: "FAILED", Error: "States.Timeout" })]);
    expect(await readJson(manifest.ResultFiles.SUCCEEDED[0].Key)).toHaveLength(1);
  });

  it("delivers the Express children runTwice names twice, at once, and reports each child once", async () => {
    let inFlight = 0;
    let most = 0;
    const { runner, calls, finalized } = await harness(
      "twice",
      15,
      async ({ input }) => {
        most = Math.max(most, ++inFlight);
        await sleep(50);
        inFlight--;
        return { first: input.Items[0]!.image };
      },
      { maxConcurrency: 1 },
      { runTwice: (child) => child === 1 },
    );
    await runner.start("twice-1", { job: "twice", bucket: "runner-test" });
    expect((await runner.wait("twice-1")).status).toBe("SUCCEEDED");
    expect(calls.map((c) => `${c.input.Items[0]!.image}:${c.input.RetryCount}`)).toEqual(["img-0:0", "img-5:0", "img-5:0", "img-10:0"]);
    // Both deliveries of child 1 ran at once, though the map runs one child at a time.
    expect(most).toBe(2);
    const state = finalized[0] as { map: { ResultWriterDetails: { Key: string } } };
    const manifest = await readJson(state.map.ResultWriterDetails.Key);
    const succeeded = await readJson(manifest.ResultFiles.SUCCEEDED[0].Key);
    expect(succeeded.map((entry: { Name: string }) => entry.Name)).toEqual(["0", "1", "2"]);
  });

  it("stops an execution: no batch starts after the abort and Finalize does not run", async () => {
    const { runner, calls, finalized } = await harness(
      "stopped",
      30,
      async () => {
        await sleep(100);
        return {};
      },
      { maxConcurrency: 1 },
    );
    await runner.start("stopped-1", { job: "stopped", bucket: "runner-test" });
    while (calls.length < 2) await sleep(10);
    await runner.stop("stopped-1");
    expect((await runner.wait("stopped-1")).status).toBe("ABORTED");
    const seen = calls.length;
    await sleep(300);
    expect(calls.length).toBe(seen);
    expect(seen).toBeLessThan(6);
    expect(finalized).toEqual([]);
  });
});
