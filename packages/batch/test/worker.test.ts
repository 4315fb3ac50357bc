/**
 * The worker over a real local S3 server and the real engine: per-image failure records, image
 * outputs, idempotence, and what it throws for a retry (its deadline, S3 throttling) — after
 * writing what it finished.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowEngine } from "@cvflow/blocks";
import { defineBlock, type Block } from "@cvflow/engine";
import { countsBetween, startS3Server, type S3Server } from "@cvflow/local";
import { createS3Client, S3BlobStore } from "@cvflow/store";
import { createBatchWorker, S3BatchJobStore, TRANSIENT_ERROR, type WorkerDependencies, type WorkerEvent } from "../src/index.js";

const BUCKET = "worker-test";
/** Waits `ms` (or until the run's signal), then passes its value through. */
const pause = defineBlock<{ ms: number; value: unknown }>({
  manifest: {
    type: "test/pause@v1",
    name: "Pause",
    description: "Waits, then outputs its value.",
    family: "formatters",
    fields: { ms: { schema: { type: "number" }, required: true }, value: { kinds: ["*"], default: null } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: ({ ms, value }, { signal }) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ output: value }), ms);
      signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    }),
});

const spec = (pauseMs = 0) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/convert_grayscale@v1", name: "gray", image: "$inputs.image" },
    { type: "roboflow_core/property_definition@v1", name: "width", data: "$steps.gray.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
    { type: "test/pause@v1", name: "nap", ms: pauseMs, value: "$steps.width.output" },
  ],
  outputs: [
    { type: "JsonField", name: "width", selector: "$steps.nap.output" },
    { type: "JsonField", name: "gray", selector: "$steps.gray.image" },
  ],
});

let server: S3Server;
let client: S3Client;
let dataDir: string;
let deps: WorkerDependencies;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cvflow-worker-"));
  server = await startS3Server({ bucket: BUCKET, dataDir, port: 0 });
  client = createS3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
  deps = {
    client,
    jobs: new S3BatchJobStore(client, BUCKET),
    blobs: new S3BlobStore(client, BUCKET),
    engine: createWorkflowEngine({ blocks: [pause as Block] }),
  };
  for (let i = 0; i < 6; i++) await put(`in/img-${i}.jpg`, await sharp({ create: { width: 20 + i, height: 10, channels: 3, background: "#808080" } }).jpeg().toBuffer());
  await put("in/corrupt.jpg", Buffer.from("\xff\xd8 not really a jpeg"));
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function put(key: string, body: Uint8Array | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}
async function json(key: string): Promise<any> {
  return JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString());
}
async function outputKeys(job: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `batches/${job}/output/` }));
  return (listed.Contents ?? []).map((object) => object.Key!.slice(`batches/${job}/output/`.length)).sort();
}
async function submit(job: string, fields: Record<string, unknown> = {}, pauseMs = 0): Promise<void> {
  await put(`batches/${job}/job.json`, JSON.stringify({ workspace: "demo", workflow: { specification: spec(pauseMs) }, input: { prefix: `s3://${BUCKET}/in/` }, ...fields }));
  // What Prepare pins (job-workflow.ts): workers run it.
  await put(`batches/${job}/workflow.json`, JSON.stringify({ version_id: null, specification: spec(pauseMs) }));
}
const batch = (job: string, names: string[]): WorkerEvent => ({
  BatchInput: { job, bucket: BUCKET },
  Items: names.map((name) => ({ image: name, source: `s3://${BUCKET}/in/${name}.jpg` })),
});
const time = (ms: number) => {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
};

describe("the batch worker", () => {
  it("writes results, failure records for a corrupt and a missing image, and skips all of them the second time", async () => {
    await submit("plain");
    const worker = createBatchWorker(deps);
    const event = batch("plain", ["img-0", "img-1", "corrupt", "missing"]);
    let before = server.requestCounts();
    expect(await worker(event, time(30_000))).toEqual({ job: "plain", images: 4, processed: 2, skipped: 0, failed: 2 });
    // A first attempt asks nothing of the output prefix: it writes each document if none is there.
    expect(countsBetween(before, server.requestCounts())).toMatchObject({ list: 0, head: 0, put: 4, precondition_failed: 0 });
    expect(await outputKeys("plain")).toEqual(["corrupt/failure.json", "img-0/results.json", "img-1/results.json", "missing/failure.json"]);
    expect(await json("batches/plain/output/img-1/results.json")).toEqual({ image: "img-1", source: `s3://${BUCKET}/in/img-1.jpg`, outputs: { width: 21 } });
    expect(await json("batches/plain/output/corrupt/failure.json")).toMatchObject({ image: "corrupt", code: expect.stringMatching(/image/), message: expect.any(String) });
    expect(await json("batches/plain/output/missing/failure.json")).toMatchObject({ image: "missing", code: "object_not_found", message: expect.stringContaining("in/missing.jpg") });

    // A retry checks first: a HEAD finds results.json (img-0, img-1), two find failure.json after results.json's 404.
    before = server.requestCounts();
    expect(await createBatchWorker(deps)({ ...event, RetryCount: 1 }, time(30_000))).toEqual({ job: "plain", images: 4, processed: 0, skipped: 4, failed: 0 });
    expect(countsBetween(before, server.requestCounts())).toMatchObject({ list: 0, head: 6, put: 0 });
    // So does a job run again (Prepare found documents under the output prefix).
    before = server.requestCounts();
    expect(await createBatchWorker(deps)({ ...event, BatchInput: { ...event.BatchInput, check_done: true } }, time(30_000))).toMatchObject({ processed: 0, skipped: 4 });
    expect(countsBetween(before, server.requestCounts())).toMatchObject({ head: 6, put: 0 });
    // A first attempt delivered again computes, and its writes are refused: nothing is written twice.
    before = server.requestCounts();
    expect(await createBatchWorker(deps)(event, time(30_000))).toEqual({ job: "plain", images: 4, processed: 0, skipped: 4, failed: 0 });
    expect(countsBetween(before, server.requestCounts())).toMatchObject({ head: 0, put: 4, precondition_failed: 4 });
    expect(await json("batches/plain/output/img-1/results.json")).toEqual({ image: "img-1", source: `s3://${BUCKET}/in/img-1.jpg`, outputs: { width: 21 } });
  });

  it("of two runs of one batch at once, each image's documents are written by one: the other counts it skipped", async () => {
    await submit("twice");
    const event = batch("twice", ["img-0", "img-1", "img-2", "img-3", "img-4", "corrupt"]);
    const landed = new Map<string, number>();
    const unsubscribe = server.on("objectCreated", ({ key }) => {
      if (key.startsWith("batches/twice/output/")) landed.set(key, (landed.get(key) ?? 0) + 1);
    });
    const before = server.requestCounts();
    const reports = await Promise.all([createBatchWorker(deps)(event, time(30_000)), createBatchWorker(deps)(event, time(30_000))]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // object-created events follow their request's answer
    unsubscribe();
    expect(reports[0]!.processed + reports[1]!.processed).toBe(5);
    expect(reports[0]!.failed + reports[1]!.failed).toBe(1);
    expect(reports[0]!.skipped + reports[1]!.skipped).toBe(6);
    expect(countsBetween(before, server.requestCounts()).precondition_failed).toBe(6);
    expect([...landed.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await outputKeys("twice")).toHaveLength(6);
  });

  it("saves image outputs before results.json, which refers to them", async () => {
    await submit("images", { save_image_outputs: true });
    await createBatchWorker(deps)(batch("images", ["img-2"]), time(30_000));
    expect(await outputKeys("images")).toEqual(["img-2/gray.jpg", "img-2/results.json"]);
    expect((await json("batches/images/output/img-2/results.json")).outputs).toEqual({ width: 22, gray: { type: "file", value: "gray.jpg" } });
  });

  it("stops at its deadline with a cvflow.TransientError, keeping what it finished; the retry does the rest", async () => {
    await submit("slow", {}, 400);
    const event = batch("slow", ["img-0", "img-1", "img-2", "img-3", "img-4", "img-5"]);
    const worker = createBatchWorker({ ...deps, concurrency: 1, marginMs: 100 });
    const error = await worker(event, time(1000)).catch((thrown: unknown) => thrown);
    expect((error as Error).name).toBe(TRANSIENT_ERROR);
    const finished = (await outputKeys("slow")).length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(6);
    const retry = await worker({ ...event, RetryCount: 1 }, time(30_000));
    expect(retry).toMatchObject({ processed: 6 - finished, skipped: finished, failed: 0 });
    expect(await outputKeys("slow")).toHaveLength(6);
  });

  it("answers S3 throttling with a cvflow.TransientError, not a failure record", async () => {
    await submit("throttled");
    const slowDown = new S3ServiceException({ name: "SlowDown", $fault: "server", $metadata: { httpStatusCode: 503 }, message: "Please reduce your request rate." });
    const throttled = { send: (command: unknown) => (command instanceof PutObjectCommand ? Promise.reject(slowDown) : client.send(command as never)) } as unknown as S3Client;
    const error = await createBatchWorker({ ...deps, client: throttled })(batch("throttled", ["img-0"]), time(30_000)).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: TRANSIENT_ERROR, message: expect.stringContaining("Please reduce") });
    expect(await outputKeys("throttled")).toEqual([]);
  });
});
