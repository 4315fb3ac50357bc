/** `cvflow batch ...`: what reaches the server (canned answers: see cannedBatchJobs), what is printed. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW as SPECIFICATION, CannedServer, cannedBatchJobs, type Received, type Reply } from "@cvflow/service/testing";
import { makeImageFolder } from "./image-folder.js";
import { cvflow } from "./spawn-cvflow.js";

let api: CannedServer;
let env: Record<string, string>;
const dir = mkdtempSync(`${tmpdir()}/cvflow-batch-`);
const SPEC = `${dir}/spec.json`;
const IN = `${dir}/in`;

beforeAll(async () => {
  api = await CannedServer.start();
  env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: "cvf_run" };
  writeFileSync(SPEC, JSON.stringify(SPECIFICATION));
});
beforeEach(() => {
  api.reset();
  api.answer(cannedBatchJobs(() => api.url));
});

/** `reply` for GET /batch/jobs/{id}, the canned answers otherwise. */
function jobStatus(reply: Reply): void {
  const others = cannedBatchJobs(() => api.url);
  api.answer((request: Received) => (request.method === "GET" && request.path.startsWith("/batch/jobs/") ? reply : others(request)));
}
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cvflow batch submit", () => {
  it("submits a job over an S3 prefix with a saved workflow and prints its id", async () => {
    const args = ["batch", "submit", "--input", "s3://cvflow/datasets/shelves/", "--workflow", "acme/shelf", "-p", "confidence=0.5"];
    const { code, stdout, stderr } = await cvflow([...args, "--aggregation-format", "jsonl", "--save-image-outputs", "--image-input", "photo"], env);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "job-1\n", stderr: "" });
    const request = api.last("/batch/jobs", "POST");
    expect(request.headers["authorization"]).toBe("Bearer cvf_run");
    expect(request.json).toEqual({
      workflow: { workspace: "acme", id: "shelf" },
      input: { prefix: "s3://cvflow/datasets/shelves/" },
      parameters: { confidence: 0.5 },
      image_input: "photo",
      aggregation_format: "jsonl",
      save_image_outputs: true,
    });
  });

  it("submits a video job: --video with --max-fps and --segment-frames", async () => {
    const args = ["batch", "submit", "--video", "s3://cvflow/videos/street.mp4", "--workflow", "acme/counter", "--max-fps", "5", "--segment-frames", "200", "--save-image-outputs"];
    expect(await cvflow(args, env)).toMatchObject({ code: 0, stdout: "job-1\n" });
    expect(api.last("/batch/jobs", "POST").json).toEqual({
      workflow: { workspace: "acme", id: "counter" },
      input: { video: "s3://cvflow/videos/street.mp4", max_fps: 5, segment_frames: 200 },
      save_image_outputs: true,
    });
  });

  it("uploads a local folder's images first and submits their manifest with the definition inline", async () => {
    await makeImageFolder(IN);
    const { code, stdout, stderr } = await cvflow(["batch", "submit", "--input", IN, "--workflow", SPEC, "--json"], env);
    expect(code).toBe(0);
    expect(stderr).toBe("uploaded 4 images\n"); // not a terminal: no "\r" redraws
    const puts = api.received.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.body.length).sort()).toEqual(["corrupt.jpg", "dog.jpg", "mosaic.jpg", "nested/coffee.png"].map((f) => readFileSync(`${IN}/${f}`).length).sort());
    const job = api.last("/batch/jobs", "POST").json;
    expect(job.workflow).toEqual({ specification: SPECIFICATION });
    expect(job.input.manifest.slice().sort()).toEqual(["s3://cvflow/uploads/u1", "s3://cvflow/uploads/u2", "s3://cvflow/uploads/u3", "s3://cvflow/uploads/u4"]);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({ job: "job-1", state: "submitted" });
    // Which file became which upload, in the manifest's order.
    expect(printed.uploads.map((u: { file: string }) => u.file)).toEqual([`${IN}/corrupt.jpg`, `${IN}/dog.jpg`, `${IN}/mosaic.jpg`, `${IN}/nested/coffee.png`]);
    expect(printed.uploads.map((u: { source: string }) => u.source)).toEqual(job.input.manifest);
  });

  it.each([
    [["batch", "submit", "--input", "https://x.test/a/", "--workflow", "acme/shelf"], '--input "https://x.test/a/" is neither a folder nor s3://bucket/prefix/'],
    [["batch", "submit", "--workflow", "acme/shelf"], "give either --input (images) or --video (one video in S3)"],
    [["batch", "submit", "--input", "s3://b/p/", "--video", "s3://b/v.mp4", "--workflow", "acme/shelf"], "give either --input (images) or --video (one video in S3)"],
    [["batch", "submit", "--input", "s3://b/p/", "--max-fps", "5", "--workflow", "acme/shelf"], "--max-fps and --segment-frames go with --video"],
    [["batch", "submit", "--video", "s3://b/videos/", "--workflow", "acme/shelf"], '--video "s3://b/videos/" is not s3://bucket/key'],
    [["batch", "submit", "--input", "s3://b/p/", "--workflow", "shelf"], '--workflow "shelf" is neither a .json file nor workspace/workflow-id'],
    [["batch", "submit", "--input", "s3://b/p/", "--workflow", "a/b", "--aggregation-format", "xml"], "Allowed choices are csv, jsonl"],
  ])("exits 2 on a usage error: %j", async (args, message) => {
    const { code, stderr } = await cvflow(args, env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(api.received).toHaveLength(0);
  });
});

describe("cvflow batch status|list|abort|restart", () => {
  it("shows a job's state and progress, and lists the workspace's jobs", async () => {
    const status = await cvflow(["batch", "status", "job-1"], env);
    expect(status.stdout).toBe(
      ["job       job-1", "state     running", "progress  13/40 (12 done, 1 failed)", "started   2025-01-01T00:00:00.000Z", "finished  -", "output    s3://cvflow/batches/job-1/output/", ""].join("\n"),
    );
    const list = await cvflow(["batch", "list"], env);
    expect(list.stdout).toBe(
      [
        "JOB    STATE      PROGRESS                   STARTED",
        "job-1  running    13/40 (12 done, 1 failed)  2025-01-01T00:00:00.000Z",
        "job-0  succeeded  40/40 (39 done, 1 failed)  2025-01-01T00:00:00.000Z",
        "",
      ].join("\n"),
    );
    expect(JSON.parse((await cvflow(["batch", "status", "job-1", "--json"], env)).stdout)).toMatchObject({ job: "job-1", done: 12 });
  });

  it("shows how a job ended: completed with failures, or failed past the tolerated share with the error's reason", async () => {
    const finished = { job: "job-2", workspace: "acme", total: 10, done: 3, failed: 7, tolerated_failure_percentage: 10, started_at: "2025-01-01T00:00:00.000Z", finished_at: "2025-01-01T00:01:00.000Z", output_prefix: "s3://cvflow/batches/job-2/output/" };
    const error = { code: "too_many_failures", message: "7 of 10 images failed (70 %), more than the 10 % the job tolerates; failures.jsonl lists them" };
    jobStatus({ body: { ...finished, state: "failed", error } });
    const failed = await cvflow(["batch", "status", "job-2"], env);
    expect(failed.stdout).toContain("\nstate     failed\nprogress  10/10 (3 done, 7 failed)\n");
    expect(failed.stdout).toMatch(/\nerror     too_many_failures: 7 of 10 images failed \(70 %\), more than the 10 % the job tolerates; failures\.jsonl lists them\n$/);
    jobStatus({ body: { ...finished, state: "completed_with_failures", done: 9, failed: 1 } });
    const completed = await cvflow(["batch", "status", "job-2"], env);
    expect(completed.stdout).toContain("\nstate     completed_with_failures\nprogress  10/10 (9 done, 1 failed)\n");
    expect(completed.stdout).not.toContain("error");
  });

  it("submits the tolerated failure percentage, and refuses one that is no percentage", async () => {
    expect((await cvflow(["batch", "submit", "--input", "s3://b/p/", "--workflow", "a/b", "--tolerated-failure-percentage", "0"], env)).code).toBe(0);
    expect(api.last("/batch/jobs", "POST").json).toMatchObject({ tolerated_failure_percentage: 0 });
    const refused = await cvflow(["batch", "submit", "--input", "s3://b/p/", "--workflow", "a/b", "--tolerated-failure-percentage", "150"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Expected a percentage from 0 to 100.");
  });

  it("aborts and restarts a job", async () => {
    expect(await cvflow(["batch", "abort", "job-1"], env)).toEqual({ code: 0, stdout: "job-1: aborted\n", stderr: "" });
    expect(await cvflow(["batch", "restart", "job-1"], env)).toEqual({ code: 0, stdout: "job-1: running\n", stderr: "" });
    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /batch/jobs/job-1/abort", "POST /batch/jobs/job-1/restart"]);
  });

  it("reports the server's error with exit 1", async () => {
    jobStatus({ status: 404, body: { error: { code: "job_not_found", message: "No batch job nope", status: 404, details: {} } } });
    expect(await cvflow(["batch", "status", "nope"], env)).toEqual({ code: 1, stdout: "", stderr: "cvflow: job_not_found: No batch job nope\n" });
  });
});
