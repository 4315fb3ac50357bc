/**
 * Canned answers of the batch job routes (and of the uploads a folder's submission makes), for the
 * clients' tests: a job's states come from the state machine, which the test service does not run
 * (test/ runs jobs on the local stack). Answers have the documented shapes (docs/batch.md).
 */
import type { Reply } from "./canned-server.js";
import type { Received } from "./received.js";

export const BATCH_JOB = {
  job: "job-1",
  state: "running",
  total: 40,
  done: 12,
  failed: 1,
  started_at: "2025-01-01T00:00:00.000Z",
  finished_at: null,
  output_prefix: "s3://cvflow/batches/job-1/output/",
};

/**
 * A reply to the batch and upload routes. Uploads are numbered in order (u1, u2, ...) and PUT to
 * `baseUrl`/s3/uploads/uN; a job's id in the path is answered back in its status.
 */
export function cannedBatchJobs(baseUrl: () => string): (request: Received) => Reply {
  let uploads = 0;
  return ({ method, path }) => {
    if (method === "POST" && path === "/uploads") {
      const n = ++uploads;
      return { body: { upload_url: `${baseUrl()}/s3/uploads/u${n}?X-Amz-Signature=abc`, expires_at: "2025-01-01T00:15:00.000Z", image: { type: "s3", value: `s3://cvflow/uploads/u${n}` } } };
    }
    if (method === "PUT") return { status: 200, raw: "" };
    if (method === "POST" && path === "/batch/jobs") return { status: 202, body: { job: "job-1", state: "submitted" } };
    if (path === "/batch/jobs") return { body: { jobs: [BATCH_JOB, { ...BATCH_JOB, job: "job-0", state: "succeeded", done: 39, finished_at: "2025-01-01T00:01:00.000Z" }] } };
    const [, , , id = "", action] = path.split("/");
    const job = decodeURIComponent(id);
    if (action === "abort") return { body: { ...BATCH_JOB, job, state: "aborted" } };
    if (action === "restart") return { body: { ...BATCH_JOB, job, state: "running" } };
    return { body: { ...BATCH_JOB, job } };
  };
}
