/**
 * Batch jobs end to end on the whole local stack: jobs submitted over HTTP and by uploading
 * job.json to the S3 server, run by the batch state machine's very definition (the local runner
 * over the Lambda handlers of functions/batch-*.ts), their outputs read back from S3.
 *
 * The worker of this stack has a fault injector (CVFLOW_BATCH_FAULTS) for jobs named `faulty…`
 * only: it fails every 10th first attempt of a batch halfway, and stalls one past its 4 s timeout.
 * And the map delivers every 7th Express child twice at once (runTwiceEvery), as Express may.
 */
import { fileURLToPath } from "node:url";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsBetween, type LocalStack } from "@cvflow/local";
import { createS3Client, S3ApiKeyStore } from "@cvflow/store";
import { lightWorkflow, photoVariants, pythonCsv, uploadVariants, type Variant } from "./batch-fixtures.js";
import { call, testStack } from "./local-stack.js";

const WORKER_TIMEOUT_SECONDS = 4;
const VARIANTS = "datasets/variants/";

let stack: LocalStack;
let s3: S3Client;
let bucket: string;
let variants: Variant[];

beforeAll(async () => {
  stack = await testStack({
    batch: { maxConcurrency: 4, workerTimeoutSeconds: WORKER_TIMEOUT_SECONDS, runTwiceEvery: 7 },
    env: {
      CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("./fixtures/pause-block.ts", import.meta.url)),
      CVFLOW_BATCH_FAULTS: JSON.stringify({ jobs: "^faulty", fail_every: 10, stall_batch: 3 }),
    },
  });
  bucket = stack.s3.bucket;
  s3 = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  variants = await photoVariants(300);
  await uploadVariants(s3, bucket, VARIANTS, variants);
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const source = (variant: Variant) => `s3://${bucket}/${VARIANTS}${variant.path}`;

/** Polls GET /batch/jobs/{id} until the job has finished (a job uploaded to S3 is a 404 until Prepare indexes it). */
async function finished(job: string, timeoutMs = 90_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call(stack, "GET", `/batch/jobs/${job}`);
    if (status === 200 && ["succeeded", "completed_with_failures", "failed", "aborted"].includes(body.state)) return body;
    if (Date.now() > deadline) throw new Error(`job ${job} did not finish: ${status} ${JSON.stringify(body)}`);
    await sleep(150);
  }
}

async function text(key: string): Promise<string> {
  return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
}

/** The files under a prefix, grouped by image folder: `{image: ["results.json"]}`. */
async function imageFiles(prefix: string): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const { Key: key } of page.Contents ?? []) {
      const relative = key!.slice(prefix.length);
      const slash = relative.lastIndexOf("/");
      if (slash < 0) continue; // aggregated files at the top
      const image = relative.slice(0, slash);
      files.set(image, [...(files.get(image) ?? []), relative.slice(slash + 1)]);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return files;
}

async function uploadJob(job: string, body: Record<string, unknown>): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `batches/${job}/job.json`, Body: JSON.stringify({ workspace: stack.workspace, ...body }), ContentType: "application/json" }));
}

/** Uploads a job.json and answers the name of the execution its upload started. */
async function uploadedExecution(job: string, body: Record<string, unknown>): Promise<string> {
  const before = new Set(stack.batch.executions().map((execution) => execution.name));
  await uploadJob(job, body);
  let started: string | undefined;
  while (!(started = stack.batch.executions().find((execution) => !before.has(execution.name) && execution.name.startsWith(`${job}-`))?.name)) await sleep(50);
  return started;
}

describe("batch jobs on the local stack", () => {
  it("runs a 300-image job submitted over HTTP: one results.json per image, and a CSV Python reads", async () => {
    const started = performance.now();
    const submitted = await call(stack, "POST", "/batch/jobs", {
      body: { workflow: { specification: lightWorkflow() }, input: { prefix: `s3://${bucket}/${VARIANTS}` }, parameters: { label: "variant" } },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toEqual({ job: expect.any(String), state: "submitted" });
    const { job } = submitted.body;
    const status = await finished(job);
    const seconds = (performance.now() - started) / 1000;
    // Throughput is the batch bench's to judge (npm run bench -- batch); this only reports it.
    console.log(`batch: 300 images in ${seconds.toFixed(1)} s (${(300 / seconds).toFixed(0)} images/s)`);
    expect(status).toMatchObject({ job, state: "succeeded", total: 300, done: 300, failed: 0, output_prefix: `s3://${bucket}/batches/${job}/output/` });

    const output = `batches/${job}/output/`;
    const files = await imageFiles(output);
    expect(files.size).toBe(300);
    for (const variant of variants) expect(files.get(variant.name)).toEqual(["results.json"]);

    const csv = pythonCsv(await text(`${output}aggregated_results.csv`));
    expect(csv.header).toEqual(["image", "width", "height", "label"]);
    expect(csv.rows).toHaveLength(300);
    const widths = new Map(variants.map((variant) => [variant.name, String(variant.width)]));
    for (const row of csv.rows) expect([row["image"], row["width"], row["label"]]).toEqual([row["image"], widths.get(row["image"]!), "variant"]);
    expect(new Set(csv.rows.map((row) => row["image"])).size).toBe(300);
    expect(await text(`${output}failures.jsonl`)).toBe("");
    expect(JSON.parse(await text(`${output}summary.json`))).toMatchObject({ job, state: "succeeded", total: 300, done: 300, failed: 0, images_per_s: expect.any(Number) });
  }, 120_000);

  it("recovers from failed, stalled and twice-delivered worker attempts: each image's results.json written once; a resubmission processes nothing", async () => {
    const sources = variants.slice(0, 100).map(source);
    // Every results.json that landed: a write refused with 412 creates nothing.
    const landed = new Map<string, number>();
    const unsubscribe = stack.s3.on("objectCreated", ({ key }) => {
      if (key.startsWith("batches/faulty-1/output/") && key.endsWith("/results.json")) landed.set(key, (landed.get(key) ?? 0) + 1);
    });
    const counted = stack.s3.requestCounts();
    const first = await uploadedExecution("faulty-1", { workflow: { specification: lightWorkflow() }, input: { manifest: sources }, batch_size: 5 });
    // The execution's requests alone (polling the job's status over HTTP lists its output).
    expect((await stack.batch.wait(first)).status).toBe("SUCCEEDED");
    const requests = countsBetween(counted, stack.s3.requestCounts());
    const status = await finished("faulty-1");
    await sleep(100); // object-created events are delivered after their request's answer
    expect(landed.size).toBe(100);
    expect([...landed.values()].every((count) => count === 1)).toBe(true);
    // Children 6 and 13 of 20 ran twice at once: the second write of each of their images was refused.
    expect(requests.precondition_failed).toBeGreaterThanOrEqual(1);
    // No LIST per image: Prepare's one (is the output prefix empty?), and the status polls while it ran.
    expect(requests.list).toBeLessThanOrEqual(3);
    console.log(`faulty-1: S3 requests ${JSON.stringify(requests)}, last_run ${JSON.stringify(status.last_run)}`);
    expect(status).toMatchObject({ state: "succeeded", total: 100, done: 100, failed: 0 });
    // Attempts 0 and 10 of 20 failed after writing at least their first image, which their retries skipped;
    // attempt 3 stalled past its timeout, so the job took at least that long.
    expect(status.last_run.skipped).toBeGreaterThanOrEqual(2);
    expect(status.last_run.processed + status.last_run.skipped).toBe(100);
    const summary = JSON.parse(await text("batches/faulty-1/output/summary.json"));
    expect(summary.duration_s).toBeGreaterThanOrEqual(WORKER_TIMEOUT_SECONDS);

    const files = await imageFiles("batches/faulty-1/output/");
    expect([...files.values()].every((names) => names.length === 1 && names[0] === "results.json")).toBe(true);
    expect(files.size).toBe(100);
    const rows = pythonCsv(await text("batches/faulty-1/output/aggregated_results.csv")).rows;
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((row) => row["image"])).size).toBe(100);

    // The same job.json again: a new execution, whose workers find every image done (one HEAD each) and skip it.
    const again0 = stack.s3.requestCounts();
    const again = await uploadedExecution("faulty-1", { workflow: { specification: lightWorkflow() }, input: { manifest: sources }, batch_size: 5 });
    expect((await stack.batch.wait(again)).status).toBe("SUCCEEDED");
    const resubmission = countsBetween(again0, stack.s3.requestCounts());
    const resubmitted = await finished("faulty-1");
    expect(resubmitted).toMatchObject({ state: "succeeded", done: 100, failed: 0, execution: again, last_run: { processed: 0, skipped: 100, failed: 0 } });
    // Two of the 20 children were delivered twice: 100 images, 110 looked at.
    expect([resubmission.head, resubmission.precondition_failed]).toEqual([110, 0]);
    unsubscribe();
    expect([...landed.values()].every((count) => count === 1)).toBe(true);
    expect((await imageFiles("batches/faulty-1/output/")).size).toBe(100);
    expect(pythonCsv(await text("batches/faulty-1/output/aggregated_results.csv")).rows).toHaveLength(100);
  }, 120_000);

  it("ends a corrupt image and a missing key as failure records; 2 of 3 failed is past the default 10 %: the job is failed, and says why", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "datasets/odd/corrupt.jpg", Body: Buffer.from("\xff\xd8\xff\xe0 truncated") }));
    const manifest = [source(variants[0]!), `s3://${bucket}/datasets/odd/corrupt.jpg`, `s3://${bucket}/datasets/odd/missing.jpg`];
    const submitted = await call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow() }, input: { manifest }, aggregation_format: "jsonl" } });
    const { job } = submitted.body;
    const tooMany = { code: "too_many_failures", message: "2 of 3 images failed (66.7 %), more than the 10 % the job tolerates; failures.jsonl lists them" };
    expect(await finished(job)).toMatchObject({ state: "failed", total: 3, done: 1, failed: 2, tolerated_failure_percentage: 10, error: tooMany });
    const output = `batches/${job}/output/`;
    expect(JSON.parse(await text(`${output}summary.json`))).toMatchObject({ job, state: "failed", total: 3, done: 1, failed: 2, tolerated_failure_percentage: 10 });
    const failures = (await text(`${output}failures.jsonl`)).trim().split("\n").map((line) => JSON.parse(line));
    // Sources of a manifest are named by their keys.
    expect(failures).toEqual([
      { image: "datasets/odd/corrupt", source: manifest[1], code: expect.stringMatching(/image/), message: expect.any(String) },
      { image: "datasets/odd/missing", source: manifest[2], code: "object_not_found", message: expect.stringContaining("missing.jpg") },
    ]);
    expect(JSON.parse(await text(`${output}datasets/odd/corrupt/failure.json`))).toEqual(failures[0]);
    const results = (await text(`${output}aggregated_results.jsonl`)).trim().split("\n").map((line) => JSON.parse(line));
    expect(results).toEqual([{ image: `${VARIANTS}${variants[0]!.name}`, source: manifest[0], outputs: { width: variants[0]!.width, height: expect.any(Number), label: "none" } }]);
  }, 60_000);

  it("ends a job whose failures are within its tolerated_failure_percentage completed_with_failures, and one where every image failed failed", async () => {
    const corrupt = Buffer.from("\xff\xd8\xff\xe0 truncated");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "datasets/broken/a.jpg", Body: corrupt }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "datasets/broken/b.jpg", Body: corrupt }));
    const job = (body: Record<string, unknown>) => call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow() }, ...body } });

    // 1 of 4 failed (25 %), 30 % tolerated.
    const within = (await job({ input: { manifest: [...variants.slice(0, 3).map(source), `s3://${bucket}/datasets/broken/a.jpg`] }, tolerated_failure_percentage: 30 })).body.job;
    const completed = await finished(within);
    expect(completed).toMatchObject({ state: "completed_with_failures", total: 4, done: 3, failed: 1, tolerated_failure_percentage: 30 });
    expect(completed.error).toBeUndefined();
    expect(JSON.parse(await text(`batches/${within}/output/summary.json`))).toMatchObject({ state: "completed_with_failures", done: 3, failed: 1 });
    const listed = await call(stack, "GET", "/batch/jobs");
    expect(listed.body.jobs.find((j: { job: string }) => j.job === within)).toMatchObject({ state: "completed_with_failures" });

    // Every image failed: failed, even with half tolerated.
    const all = (await job({ input: { prefix: `s3://${bucket}/datasets/broken/` }, tolerated_failure_percentage: 50 })).body.job;
    expect(await finished(all)).toMatchObject({
      state: "failed",
      total: 2,
      done: 0,
      failed: 2,
      error: { code: "too_many_failures", message: "2 of 2 images failed (100 %), more than the 50 % the job tolerates; failures.jsonl lists them" },
    });
    expect(JSON.parse(await text(`batches/${all}/output/summary.json`))).toMatchObject({ state: "failed", total: 2, done: 0, failed: 2 });
    // A finished job may be restarted, whichever way it ended.
    expect((await call(stack, "POST", `/batch/jobs/${all}/restart`)).status).toBe(202);
    expect(await finished(all)).toMatchObject({ state: "failed", failed: 2 });
  }, 60_000);

  it("aborts a running job, keeping what was done, and restarts it over the rest", async () => {
    const manifest = variants.slice(0, 12).map(source);
    const submitted = await call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow(300) }, input: { manifest }, batch_size: 1, max_concurrency: 1 } });
    const { job } = submitted.body;
    let running: any;
    do {
      await sleep(100);
      running = (await call(stack, "GET", `/batch/jobs/${job}`)).body;
    } while (["submitted", "running"].includes(running.state) && !(running.done >= 2));
    expect(running.state).toBe("running");
    const aborted = await call(stack, "POST", `/batch/jobs/${job}/abort`);
    expect(aborted.status).toBe(200);
    expect(aborted.body).toMatchObject({ job, state: "aborted", finished_at: expect.any(String) });
    expect((await stack.batch.wait(running.execution)).status).toBe("ABORTED");
    await sleep(500); // the invocation in flight when it stopped may still land its image
    const done = (await imageFiles(`batches/${job}/output/`)).size;
    expect(done).toBeLessThan(12);
    expect((await call(stack, "GET", `/batch/jobs/${job}`)).body.state).toBe("aborted");
    expect((await call(stack, "POST", `/batch/jobs/${job}/abort`)).body.error.code).toBe("job_finished");

    const restarted = await call(stack, "POST", `/batch/jobs/${job}/restart`);
    expect(restarted.status).toBe(202);
    expect(restarted.body).toMatchObject({ job, state: "submitted", execution: expect.stringMatching(new RegExp(`^${job}-restart-`)) });
    const second = await call(stack, "POST", `/batch/jobs/${job}/restart`);
    expect([second.status, second.body.error.code]).toEqual([409, "job_running"]);
    const status = await finished(job);
    expect(status).toMatchObject({ state: "succeeded", total: 12, done: 12, failed: 0 });
    expect(status.last_run.skipped).toBeGreaterThanOrEqual(done);
    expect((await imageFiles(`batches/${job}/output/`)).size).toBe(12);
    expect(pythonCsv(await text(`batches/${job}/output/aggregated_results.csv`)).rows).toHaveLength(12);
  }, 60_000);

  it("runs a saved workflow's job uploaded as job.json, pinned to the version current when it started", async () => {
    const created = await call(stack, "POST", `/${stack.workspace}/createWorkflow`, { body: { name: "sizes", url: "sizes", config: { specification: lightWorkflow() } } });
    expect(created.status).toBe(201);
    await uploadJob("uploaded-saved", { workflow: { workspace: stack.workspace, id: "sizes" }, input: { manifest: variants.slice(0, 3).map(source) }, parameters: { label: "saved" } });
    const status = await finished("uploaded-saved");
    expect(status).toMatchObject({ state: "succeeded", done: 3, workspace: stack.workspace });
    const rows = pythonCsv(await text("batches/uploaded-saved/output/aggregated_results.csv")).rows;
    expect(rows.map((row) => row["label"])).toEqual(["saved", "saved", "saved"]);
  }, 60_000);

  describe("routes", () => {
    it("lists every problem of a job in a 400 with pointers, the workflow's compile errors included", async () => {
      const bad = await call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow() }, input: { prefix: "datasets/" }, batch_size: 0, colour: "blue" } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("invalid_job");
      expect(bad.body.error.details.errors.map((e: { pointer: string }) => e.pointer)).toEqual(["/colour", "/input/prefix", "/batch_size"]);

      const broken = { ...lightWorkflow(), steps: [{ type: "roboflow_core/convert_grayscale@v1", name: "gray", image: "$inputs.nothing" }] };
      const compile = await call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: broken }, input: { prefix: `s3://${bucket}/${VARIANTS}` } } });
      expect(compile.status).toBe(400);
      expect(compile.body.error.details.errors[0].pointer).toMatch(/^\/workflow\/specification\//);

      const wrongInput = await call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow() }, image_input: "photo", parameters: { colour: 1 }, input: { prefix: `s3://${bucket}/${VARIANTS}` } } });
      expect(wrongInput.body.error.details.errors.map((e: { code: string; pointer: string }) => `${e.code} ${e.pointer}`)).toEqual([
        "unknown_image_input /image_input",
        "unfed_image_input /image_input",
        "unknown_parameter /parameters/colour",
      ]);
      const missing = await call(stack, "POST", "/batch/jobs", { body: { workflow: { workspace: stack.workspace, id: "no-such-workflow" }, input: { prefix: `s3://${bucket}/${VARIANTS}` } } });
      expect(missing.body.error.details.errors).toEqual([expect.objectContaining({ code: "workflow_not_found", pointer: "/workflow" })]);
      const reserved = await call(stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow() }, input: { prefix: `s3://${bucket}/keys/` } } });
      expect(reserved.body.error.details.errors).toEqual([expect.objectContaining({ code: "forbidden_location", pointer: "/input/prefix" })]);
    });

    it("keeps jobs to their workspace and the routes to keys with workflow:run", async () => {
      const keys = new S3ApiKeyStore(s3, bucket);
      const other = (await keys.create("elsewhere", ["workflow:run"], "other")).key;
      const reader = (await keys.create(stack.workspace, ["workflow:read"], "reader")).key;
      const mine = (await call(stack, "GET", "/batch/jobs")).body.jobs;
      expect(mine.length).toBeGreaterThanOrEqual(5);
      const times = mine.map((job: { submitted_at: string }) => job.submitted_at);
      expect(times).toEqual([...times].sort().reverse());
      expect(mine.map((job: { job: string }) => job.job)).toContain("faulty-1");

      const id = mine[0].job;
      expect((await call(stack, "GET", `/batch/jobs/${id}`, { key: other })).body.error.code).toBe("job_not_found");
      expect((await call(stack, "POST", `/batch/jobs/${id}/abort`, { key: other })).status).toBe(404);
      expect((await call(stack, "GET", "/batch/jobs", { key: other })).body).toEqual({ jobs: [] });
      expect((await call(stack, "GET", "/batch/jobs", { key: null })).status).toBe(401);
      expect((await call(stack, "GET", "/batch/jobs", { key: reader })).status).toBe(403);
      expect((await call(stack, "GET", "/batch/jobs/no-such-job")).status).toBe(404);
      const foreign = await call(stack, "POST", "/batch/jobs", { key: other, body: { workflow: { specification: lightWorkflow() }, input: { prefix: `s3://${bucket}/batches/${id}/output/` } } });
      expect(foreign.body.error.details.errors).toEqual([expect.objectContaining({ code: "forbidden_location", pointer: "/input/prefix" })]);
    });
  });
});
