/**
 * Jobs as the HTTP routes see them (docs/batch.md): submit (writes job.json; the S3 trigger starts
 * the execution, as for an upload), read, list, abort and restart — each within one workspace,
 * whose jobs are the only ones a caller may see (another's is a 404, as if it did not exist).
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { WorkflowError, type WorkflowEngine } from "@cvflow/engine";
import { isNotFound, sortableId, type WorkflowStore } from "@cvflow/store";
import { executionName, type BatchExecutions } from "./executions.js";
import type { S3BatchJobStore } from "./job-store.js";
import { resolveJobWorkflow } from "./job-workflow.js";
import { batchNotConfigured, invalidJob, jobFinished, jobNotFound, jobRunning, resultsOutsideBucket, type JobIssue } from "./errors.js";
import { parseJob, type BatchJob } from "./job.js";
import { aggregatedFile, BATCHES_PREFIX, batchKeys, FAILURES_FILE, JOB_ID, SUMMARY_FILE } from "./layout.js";
import { listOutputDocuments } from "./output-listing.js";
import { parseS3Url } from "./s3-location.js";
import { isFinished, type JobStatus } from "./status.js";

export interface BatchJobsOptions {
  client: S3Client;
  jobs: S3BatchJobStore;
  workflows: WorkflowStore;
  engine: WorkflowEngine;
  /** Without it, jobs can be submitted (the trigger starts them) but not aborted or restarted here. */
  executions?: BatchExecutions;
}

/** The files Finalize writes at the top of a job's output, for a person to download: the aggregation first. */
const RESULT_FILES = [aggregatedFile("csv"), aggregatedFile("jsonl"), FAILURES_FILE, SUMMARY_FILE];

/** One of a job's result files, where it is in the service's bucket. */
export interface ResultFile {
  name: string;
  key: string;
  size: number;
}

export class BatchJobs {
  constructor(private readonly options: BatchJobsOptions) {}

  /** Validates the job (its workflow compiled, its image input and parameters checked) and writes it. */
  async submit(workspace: string, body: Record<string, unknown>): Promise<JobStatus> {
    const { jobs } = this.options;
    const { api_key: _credential, ...fields } = body;
    if (fields["workspace"] !== undefined && fields["workspace"] !== workspace) {
      throw invalidJob([{ code: "forbidden", message: `A job runs in the API key's workspace "${workspace}"; leave "workspace" out`, pointer: "/workspace" }]);
    }
    const id = sortableId();
    const job = parseJob({ ...fields, workspace }, { job: id, bucket: jobs.bucket });
    await resolveJobWorkflow(job, this.options);
    await this.#checkSourcesOf(job);
    const now = new Date().toISOString();
    const status: JobStatus = { job: id, workspace, state: "submitted", output_prefix: job.output_prefix, submitted_at: now, started_at: null, finished_at: null, execution: null };
    // Status and index first: the trigger may run the job before this request returns.
    await jobs.updateStatus(id, () => status);
    await jobs.addToIndex(workspace, id);
    await jobs.createJob(id, job);
    return status;
  }

  /** Its status; while it runs, `done` and `failed` are counted from what its output holds (a video job: its segments' caches). */
  async get(workspace: string, id: string): Promise<JobStatus> {
    const status = await this.#owned(workspace, id);
    if (status.state !== "running") return status;
    // `frames` marks a video job (Prepare sets it for those only).
    if (status.frames !== undefined) return { ...status, done: await countObjects(this.options.client, this.options.jobs.bucket, batchKeys.videoSteps(id)), failed: 0 };
    const documents = await listOutputDocuments(this.options.client, parseS3Url(status.output_prefix)!);
    return { ...status, done: documents.results.size, failed: documents.failures.size };
  }

  /**
   * The job's result files that exist now (none before its first Finalize; a restarted job's are
   * the last execution's until it finishes again), in its output prefix, which must be in the
   * service's bucket.
   */
  async results(workspace: string, id: string): Promise<{ status: JobStatus; files: ResultFile[] }> {
    const status = await this.#owned(workspace, id);
    const { bucket } = this.options.jobs;
    const output = parseS3Url(status.output_prefix)!;
    if (output.bucket !== bucket) throw resultsOutsideBucket(id, status.output_prefix, bucket);
    const found = await Promise.all(
      RESULT_FILES.map(async (name): Promise<ResultFile | undefined> => {
        const key = output.key + name;
        try {
          const head = await this.options.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          return { name, key, size: head.ContentLength ?? 0 };
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      }),
    );
    return { status, files: found.filter((file) => file !== undefined) };
  }

  list(workspace: string): Promise<JobStatus[]> {
    return this.options.jobs.list(workspace);
  }

  /** Stops its execution; the job ends `aborted` with what was done kept. */
  async abort(workspace: string, id: string): Promise<JobStatus> {
    const status = await this.#owned(workspace, id);
    if (isFinished(status)) throw finished(status);
    const executions = this.#executions();
    if (status.execution) await executions.stop(status.execution, "Aborted through the API");
    const aborted = await this.options.jobs.updateStatus(id, (current) =>
      current && !isFinished(current) ? { ...current, state: "aborted", finished_at: new Date().toISOString() } : undefined,
    );
    return aborted ?? status;
  }

  /** A new execution over the same manifest: the workers skip the images already done. */
  async restart(workspace: string, id: string): Promise<JobStatus> {
    const status = await this.#owned(workspace, id);
    if (!isFinished(status)) throw jobRunning(id, `Job ${id} is ${status.state}; abort it first, or let it finish`, status.state);
    const executions = this.#executions();
    const execution = executionName(id, `restart-${Date.now().toString(36)}`);
    const restarted = await this.options.jobs.updateStatus(id, (current) => {
      if (!current || !isFinished(current)) return undefined;
      const { error: _error, ...rest } = current;
      return { ...rest, state: "submitted", execution, started_at: null, finished_at: null };
    });
    if (restarted?.execution !== execution) throw jobRunning(id, `Job ${id} was restarted meanwhile`);
    await executions.start(execution, { job: id, bucket: this.options.jobs.bucket });
    return restarted;
  }

  async #owned(workspace: string, id: string): Promise<JobStatus> {
    const status = JOB_ID.test(id) ? await this.options.jobs.status(id) : undefined;
    if (!status || status.workspace !== workspace) throw jobNotFound(id, workspace);
    return status;
  }

  #executions(): BatchExecutions {
    if (!this.options.executions) throw batchNotConfigured("This deployment has no batch state machine (CVFLOW_STATE_MACHINE_ARN)");
    return this.options.executions;
  }

  /**
   * Inputs in the service's bucket below `batches/{other}/` (another job's outputs, as input to a
   * next one) must be the caller's workspace's own.
   */
  async #checkSourcesOf(job: BatchJob): Promise<void> {
    const { bucket } = this.options.jobs;
    const sources = "prefix" in job.input ? [job.input.prefix] : "video" in job.input ? [job.input.video] : job.input.manifest;
    const others = new Map<string, string>();
    const issues: JobIssue[] = [];
    sources.forEach((source, index) => {
      const location = parseS3Url(source);
      const pointer = "prefix" in job.input ? "/input/prefix" : "video" in job.input ? "/input/video" : `/input/manifest/${index}`;
      if (location?.bucket !== bucket) return;
      if (location.key === BATCHES_PREFIX) issues.push({ code: "forbidden_location", message: `s3://${bucket}/${BATCHES_PREFIX} holds the jobs of every workspace; name one job's folder`, pointer });
      const match = new RegExp(`^${BATCHES_PREFIX}([^/]+)/`).exec(location.key);
      if (match && !others.has(match[1]!)) others.set(match[1]!, pointer);
    });
    for (const [other, pointer] of others) {
      const status = JOB_ID.test(other) ? await this.options.jobs.status(other) : undefined;
      if (status?.workspace !== job.workspace) issues.push({ code: "forbidden_location", message: `s3://${bucket}/${BATCHES_PREFIX}${other}/ is not a job of workspace "${job.workspace}"`, pointer });
    }
    if (issues.length > 0) throw invalidJob(issues);
  }
}

async function countObjects(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    count += page.KeyCount ?? page.Contents?.length ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}

function finished(status: JobStatus): WorkflowError {
  return jobFinished(status.job, status.state);
}
