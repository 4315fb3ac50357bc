/**
 * Jobs in the service's bucket (layout.ts): job.json, status.json, manifest.json, workflow.json and the
 * workspace index. Status changes are conditional writes on the ETag read, so Prepare, Finalize
 * and an abort racing each other never lose one another's change.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { ConditionFailed, JsonObjects } from "@cvflow/store";
import { invalidJob, jobExists } from "./errors.js";
import type { BatchJob } from "./job.js";
import { batchKeys } from "./layout.js";
import type { ManifestItem } from "./manifest.js";
import type { JobStatus } from "./status.js";

/** What Prepare pins (`batches/{job}/workflow.json`). */
export interface PinnedWorkflow {
  /** The saved version run; null for an inline specification. */
  version_id: string | null;
  /** The definition run, the saved workflows it includes inlined as their steps' `workflow_definition`. */
  specification: Record<string, unknown>;
}

/** Attempts of a status change when other writers keep coming first. */
const MAX_ATTEMPTS = 10;

export class S3BatchJobStore {
  readonly #objects: JsonObjects;

  constructor(
    client: S3Client,
    readonly bucket: string,
  ) {
    this.#objects = new JsonObjects(client, bucket);
  }

  /** job.json as it is (unvalidated: it may have been uploaded by hand); undefined when absent. */
  async readJob(job: string): Promise<unknown> {
    try {
      return (await this.#objects.read<unknown>(batchKeys.job(job)))?.value;
    } catch (error) {
      if (error instanceof SyntaxError) throw invalidJob([{ code: "invalid_json", message: `batches/${job}/job.json is not JSON: ${error.message}`, pointer: "" }]);
      throw error;
    }
  }

  /** Writes a new job.json; an id already taken is a 409. */
  async createJob(job: string, value: BatchJob): Promise<void> {
    try {
      await this.#objects.write(batchKeys.job(job), value, { ifNoneMatch: "*" });
    } catch (error) {
      if (error instanceof ConditionFailed) throw jobExists(job);
      throw error;
    }
  }

  async status(job: string): Promise<JobStatus | undefined> {
    return (await this.#objects.read<JobStatus>(batchKeys.status(job)))?.value;
  }

  /**
   * Applies `change` to the current status (undefined when there is none) and writes the result
   * on the condition that nothing changed meanwhile, trying again from a fresh read if something
   * did. `change` returning undefined leaves the status as it is (and so does this).
   */
  async updateStatus(job: string, change: (current: JobStatus | undefined) => JobStatus | undefined): Promise<JobStatus | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.#objects.read<JobStatus>(batchKeys.status(job));
      const next = change(current?.value);
      if (next === undefined) return current?.value;
      try {
        await this.#objects.write(batchKeys.status(job), next, current ? { ifMatch: current.etag } : { ifNoneMatch: "*" });
        return next;
      } catch (error) {
        if (!(error instanceof ConditionFailed) || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }

  async manifest(job: string): Promise<ManifestItem[] | undefined> {
    return (await this.#objects.read<ManifestItem[]>(batchKeys.manifest(job)))?.value;
  }

  async writeManifest(job: string, items: readonly ManifestItem[]): Promise<void> {
    await this.#objects.write(batchKeys.manifest(job), items);
  }

  /** The workflow Prepare pinned; undefined before a Prepare wrote one. */
  async pinnedWorkflow(job: string): Promise<PinnedWorkflow | undefined> {
    return (await this.#objects.read<PinnedWorkflow>(batchKeys.workflow(job)))?.value;
  }

  async pinWorkflow(job: string, pinned: PinnedWorkflow): Promise<void> {
    await this.#objects.write(batchKeys.workflow(job), pinned);
  }

  async addToIndex(workspace: string, job: string): Promise<void> {
    await this.#objects.write(batchKeys.indexEntry(workspace, job), { job });
  }

  /** The workspace's jobs, newest first. */
  async list(workspace: string): Promise<JobStatus[]> {
    const prefix = batchKeys.index(workspace);
    const jobs = (await this.#objects.keys(prefix)).map((key) => key.slice(prefix.length, -".json".length));
    const statuses = await this.#objects.readAll<JobStatus>(jobs.map((job) => batchKeys.status(job)));
    return statuses
      .filter((status) => status.workspace === workspace)
      .sort((a, b) => (a.submitted_at < b.submitted_at ? 1 : a.submitted_at > b.submitted_at ? -1 : a.job < b.job ? 1 : -1));
  }
}
