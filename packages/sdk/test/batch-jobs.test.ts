/** The batch job calls: routes, bodies, and what they return (canned answers: see cannedBatchJobs). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BATCH_JOB, BLUR_WORKFLOW as SPECIFICATION, CannedServer, cannedBatchJobs } from "@cvflow/service/testing";
import { CvflowClient } from "../src/index.js";

let api: CannedServer;
let client: CvflowClient;

beforeAll(async () => {
  api = await CannedServer.start();
  client = new CvflowClient({ baseUrl: api.url, apiKey: "cvf_run" });
});
beforeEach(() => {
  api.reset();
  api.answer(cannedBatchJobs(() => api.url));
});
afterAll(() => api.close());

describe("batch jobs", () => {
  it("submits a job as written, and reads, lists, aborts and restarts jobs", async () => {
    const job = { workflow: { specification: SPECIFICATION }, input: { prefix: "s3://cvflow/in/" }, aggregation_format: "jsonl" as const };
    expect(await client.submitBatchJob(job)).toEqual({ job: "job-1", state: "submitted" });
    expect(api.last("/batch/jobs", "POST").json).toEqual(job);
    expect(await client.batchJob("job 1")).toEqual({ ...BATCH_JOB, job: "job 1" });
    expect((await client.listBatchJobs()).map((j) => j.job)).toEqual(["job-1", "job-0"]);
    expect((await client.abortBatchJob("job-1")).state).toBe("aborted");
    expect((await client.restartBatchJob("job-1")).state).toBe("running");
    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /batch/jobs",
      "GET /batch/jobs/job%201",
      "GET /batch/jobs",
      "POST /batch/jobs/job-1/abort",
      "POST /batch/jobs/job-1/restart",
    ]);
    expect(api.received.every((r) => r.headers["authorization"] === "Bearer cvf_run")).toBe(true);
  });
});
