/**
 * GET /batch/jobs/{id}/results over the real local stack (HTTP on loopback, the S3-protocol
 * server, the batch state machine run locally), through the SDK's batchJobResults: a finished
 * job's aggregated CSV, failures and summary as presigned GET URLs that a plain fetch (a browser
 * following a link, without the API key) reads; another workspace's job is a 404, a job whose
 * output is in another bucket a 409.
 */
import type { LocalStack } from "@cvflow/local";
import type { BatchJobStatus, CvflowClient } from "@cvflow/sdk";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lightWorkflow } from "./batch-fixtures.js";
import { parseCsv } from "./csv.js";
import { testStack } from "./local-stack.js";
import { failure, sdkClients } from "./sdk-clients.js";

const WIDTHS = [24, 40, 56];

let stack: LocalStack;
let client: CvflowClient;
let other: CvflowClient;

beforeAll(async () => {
  stack = await testStack();
  ({ client, other } = await sdkClients(stack));
});
afterAll(() => stack?.close());

/** Polls the job until it has finished. */
async function finished(id: string): Promise<BatchJobStatus> {
  for (;;) {
    const status = await client.batchJob(id);
    if (["succeeded", "completed_with_failures", "failed", "aborted"].includes(status.state)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("GET /batch/jobs/{id}/results", () => {
  it("gives a finished job's CSV, failures and summary as presigned URLs a browser reads without the key", async () => {
    const images = await Promise.all(WIDTHS.map((width) => sharp({ create: { width, height: 16, channels: 3, background: "#808080" } }).jpeg().toBuffer()));
    const uploaded = await Promise.all(images.map((bytes) => client.uploadImage(bytes)));
    const missing = `s3://${stack.s3.bucket}/uploads/${stack.workspace}/no-such-image.jpg`;
    const { job } = await client.submitBatchJob({
      workflow: { specification: lightWorkflow() },
      input: { manifest: [...uploaded.map((image) => image.value), missing] },
      parameters: { label: "shelf" },
      tolerated_failure_percentage: 50,
    });
    expect(await finished(job)).toMatchObject({ state: "completed_with_failures", total: 4, done: 3, failed: 1 });

    const results = await client.batchJobResults(job);
    expect(results).toMatchObject({ job, state: "completed_with_failures" });
    expect(results.files.map((file) => file.name)).toEqual(["aggregated_results.csv", "failures.jsonl", "summary.json"]);
    const texts = new Map<string, string>();
    for (const file of results.files) {
      expect(file.url.startsWith(`${stack.s3.endpoint}/`)).toBe(true);
      const response = await fetch(file.url);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(file.size);
      texts.set(file.name, bytes.toString("utf8"));
    }
    const [header, ...rows] = parseCsv(texts.get("aggregated_results.csv")!);
    expect(header![0]).toBe("image");
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)]);
    expect(column("width").map(Number).sort((a, b) => a - b)).toEqual(WIDTHS);
    expect(column("label")).toEqual(["shelf", "shelf", "shelf"]);
    expect(texts.get("failures.jsonl")!.trim().split("\n").map((line) => JSON.parse(line).source)).toEqual([missing]);
    expect(JSON.parse(texts.get("summary.json")!)).toMatchObject({ job, state: "completed_with_failures", total: 4, done: 3, failed: 1 });

    expect(await failure(other.batchJobResults(job))).toMatchObject({ status: 404, code: "job_not_found" });
  });

  it("is 409 results_outside_bucket for a job whose output prefix is in another bucket", async () => {
    const outputPrefix = "s3://somebody-elses-bucket/results/";
    const { job } = await client.submitBatchJob({ workflow: { specification: lightWorkflow() }, input: { manifest: ["https://127.0.0.1:9/a.jpg"] }, output_prefix: outputPrefix });
    expect(await failure(client.batchJobResults(job))).toMatchObject({ status: 409, code: "results_outside_bucket", details: { job, output_prefix: outputPrefix } });
  });
});
