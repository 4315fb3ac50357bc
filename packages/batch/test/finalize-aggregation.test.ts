/**
 * Finalize's streamed aggregation of an image job over the real local S3 server: the files written
 * over several invocations (the time left cut short after a few chunks, the state machine's loop
 * played by hand) are byte for byte those of one invocation, and those of csvRows/jsonlRows over
 * the same documents; the files go out in 5 MiB parts as they fill (the unsent rest stays under a
 * part plus the last append), whatever the job's size.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsBetween, startS3Server, type S3Server } from "@cvflow/local";
import { createS3Client } from "@cvflow/store";
import { createFinalize, S3BatchJobStore, type FinalizeInput, type JobSummary } from "../src/index.js";
import { csvRows, failuresJsonl, jsonlRows, type FailureRecord, type ResultDocument } from "../src/output/index.js";
import { MIN_PART_BYTES, ResumableUpload } from "../src/resumable-upload.js";

const BUCKET = "finalize-test";
const IMAGES = 60;
/** ~200 KB a document: 60 of them are ~12 MB, three 5 MiB parts. */
const PADDING = "x".repeat(200_000);

let server: S3Server;
let client: S3Client;
let dataDir: string;
const documents: (ResultDocument | FailureRecord | undefined)[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cvflow-finalize-"));
  server = await startS3Server({ bucket: BUCKET, dataDir, port: 0 });
  client = createS3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
  for (let i = 0; i < IMAGES; i++) {
    const image = `img-${String(i).padStart(3, "0")}`;
    const source = `s3://${BUCKET}/in/${image}.jpg`;
    // Every 9th a failure record, every 13th nothing (not processed); a column first seen at image 5.
    if (i % 9 === 4) documents.push({ image, source, code: "image_decode_failed", message: `cannot decode ${image}, "really"` });
    else if (i % 13 === 7) documents.push(undefined);
    else documents.push({ image, source, outputs: { count: i, ...(i >= 5 && i % 2 ? { crops: [`a,${i}`, { x: i }] } : {}), note: i % 3 ? `line\n"${i}"` : null, padding: PADDING } });
    const document = documents[i];
    if (document) await put(`out/${image}/${"outputs" in document ? "results.json" : "failure.json"}`, JSON.stringify(document));
  }
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function put(key: string, body: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

async function text(key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return object.Body!.transformToString("utf-8");
}

const items = () => documents.map((_, i) => ({ image: `img-${String(i).padStart(3, "0")}`, source: `s3://${BUCKET}/in/img-${String(i).padStart(3, "0")}.jpg` }));

/** A job over the images, its output under out/, finalized `chunksPerInvocation` chunks of 7 images at a time. */
async function finalizeJob(job: string, format: "csv" | "jsonl", chunksPerInvocation: number): Promise<{ summary: JobSummary; invocations: number; files: Record<string, string> }> {
  const jobs = new S3BatchJobStore(client, BUCKET);
  await put(`batches/${job}/job.json`, JSON.stringify({ workspace: "ws", workflow: { specification: { version: "1.0", inputs: [], steps: [], outputs: [] } }, parameters: {}, image_input: "image", input: { manifest: items().map((item) => item.source) }, output_prefix: `s3://${BUCKET}/out/`, aggregation_format: format, save_image_outputs: false }));
  await jobs.writeManifest(job, items());
  await jobs.updateStatus(job, () => ({ job, workspace: "ws", state: "running", total: IMAGES, done: 0, failed: 0, tolerated_failure_percentage: 50, created_at: "2026-01-01T00:00:00.000Z", started_at: "2026-01-01T00:00:00.000Z", finished_at: null }) as never);
  const finalize = createFinalize({ client, jobs, aggregation: { chunk: 7, partBytes: MIN_PART_BYTES } });
  const input: FinalizeInput = { job, bucket: BUCKET, manifest_key: `batches/${job}/manifest.json`, map_results_prefix: `batches/${job}/map-results/`, total: IMAGES, batch_size: 10, max_concurrency: 4, tolerated_failure_percentage: 50, workflow_version_id: null, check_done: false, execution: `exec-${job}` };
  let invocations = 0;
  for (;;) {
    invocations++;
    // 900 s left at the start (when Finalize sets its margin) and at its next looks, then none: short after `chunksPerInvocation` chunks.
    let looks = 0;
    const output = await finalize(input, { getRemainingTimeInMillis: () => (looks++ < chunksPerInvocation ? 900_000 : 0) });
    if (!("replay_pending" in output)) {
      const name = `aggregated_results.${format}`;
      return { summary: output, invocations, files: { [name]: await text(`out/${name}`), "failures.jsonl": await text("out/failures.jsonl") } };
    }
  }
}

describe("Finalize's aggregation of an image job", () => {
  it("writes over several invocations byte for byte what one invocation writes, and what csvRows writes", async () => {
    const one = await finalizeJob("one", "csv", 100);
    expect(one.invocations).toBe(1);
    const before = server.requestCounts();
    const several = await finalizeJob("several", "csv", 2);
    const requests = countsBetween(before, server.requestCounts());
    expect(several.invocations).toBe(5); // 9 chunks of 7, two per invocation; the last one also writes the files
    expect(several.files).toEqual(one.files);

    const results = documents.filter((document): document is ResultDocument => document !== undefined && "outputs" in document);
    const failures = documents.flatMap((document, i): FailureRecord[] => (document && "outputs" in document ? [] : [document ?? { ...items()[i]!, code: "not_processed", message: "The image was not processed: its batch failed after its retries, or the job was stopped" }]));
    expect(one.files["aggregated_results.csv"]).toBe(csvRows(results));
    expect(one.files["failures.jsonl"]).toBe(failuresJsonl(failures));
    expect(one.files["aggregated_results.csv"]!.split("\r\n", 1)[0]).toBe("image,count,note,padding,crops");
    expect(several.summary).toMatchObject({ state: "completed_with_failures", total: IMAGES, done: results.length, failed: failures.length });
    expect(several.summary).toEqual({ ...one.summary, job: "several", finished_at: several.summary.finished_at, duration_s: several.summary.duration_s, images_per_s: several.summary.images_per_s });

    // No listing of the output prefix; one GET per image, a second where results.json is missing.
    expect(requests.list).toBe(0);
    expect(requests.get).toBeGreaterThanOrEqual(IMAGES + failures.length);
    // Nothing of the aggregation is left behind.
    const left = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "batches/several/finalize/" }));
    expect(left.KeyCount ?? 0).toBe(0);
  });

  it("writes a JSONL aggregation as jsonlRows does, over several invocations, and again the same when run again", async () => {
    const several = await finalizeJob("jsonl", "jsonl", 3);
    expect(several.invocations).toBe(4); // 9 chunks, three per invocation: the fourth only writes the files
    const results = documents.filter((document): document is ResultDocument => document !== undefined && "outputs" in document);
    expect(several.files["aggregated_results.jsonl"]).toBe(jsonlRows(results));
    const again = await finalizeJob("jsonl", "jsonl", 100);
    expect(again.files).toEqual(several.files);
  });

  it("sends a part as soon as one is full: what it holds stays under a part and the last text appended", async () => {
    const upload = ResumableUpload.start(client, { bucket: BUCKET, key: "parts/streamed.txt", contentType: "text/plain" }, "parts/streamed.tail", MIN_PART_BYTES);
    const piece = "y".repeat(100_000);
    let expected = "";
    for (let i = 0; i < 120; i++) {
      await upload.write(piece);
      expected += piece;
    }
    const state = await upload.suspend();
    expect(state.parts.length).toBe(Math.floor(expected.length / MIN_PART_BYTES));
    expect(state.tail_bytes).toBe(expected.length % MIN_PART_BYTES);
    const resumed = await ResumableUpload.resume(client, state, "parts/streamed.tail", MIN_PART_BYTES);
    await resumed.write("end");
    await resumed.complete();
    expect(await text("parts/streamed.txt")).toBe(`${expected}end`);
  });
});
