/**
 * The batch job calls: routes, bodies, and what they return. Canned answers: a job's states come
 * from the state machine, which the in-process service does not run (test/ runs it on the local stack).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW as SPECIFICATION, CannedServer } from "@cvflow/service/testing";
import { CvflowClient } from "../src/index.js";

const BATCH_JOB = {
  job: "job-1",
  state: "running",
  total: 40,
  done: 12,
  failed: 1,
  started_at: "2025-01-01T00:00:00.000Z",
  finished_at: null,
  output_prefix: "s3://cvflow/batches/job-1/output/",
};

let api: CannedServer;
let client: CvflowClient;

beforeAll(async () => {
  api = await CannedServer.start();
  client = new CvflowClient({ baseUrl: api.url, apiKey: "cvf_run" });
});
beforeEach(() => {
  api.reset();
  api.answer(({ method, path }) => {
    const [, , , id, action] = path.split("/");
    if (method === "POST" && path === "/batch/jobs") return { status: 202, body: { job: "job-1", state: "submitted" } };
    if (path === "/batch/jobs") return { body: { jobs: [BATCH_JOB, { ...BATCH_JOB, job: "job-0", state: "succeeded", done: 39, finished_at: "2025-01-01T00:01:00.000Z" }] } };
    const job = decodeURIComponent(id!);
    if (action === "abort") return { body: { ...BATCH_JOB, job, state: "aborted" } };
    if (action === "restart") return { body: { ...BATCH_JOB, job, state: "running" } };
    return { body: { ...BATCH_JOB, job } };
  });
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
