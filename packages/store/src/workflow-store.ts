/**
 * Workflows in S3 (layout: workflow-layout.ts). Every change is one conditional write of the
 * workflow's current document, so concurrent writers never lose each other's updates:
 *   create   If-None-Match: *            (the url taken: 409 workflow_exists)
 *   update   If-Match: the ETag read     (stale: 412 precondition_failed)
 *   remove   If-Match on the delete      (after its trash entry is written)
 *   restore  If-None-Match: *            (the url taken meanwhile: 409 workflow_exists)
 * Without a caller's ETag, update and remove read and write conditionally until their write lands
 * on the document they read. ETags are MD5s of the content; every write carries a new versionId
 * or trash id, so an ETag is never reused for a different state.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { notInTrash, staleWorkflow, urlTaken, workflowExists, workflowNotFound, writeConflict } from "./errors.js";
import { SORTABLE_ID, sortableId } from "./ids.js";
import { checkWorkspace } from "./names.js";
import { ConditionFailed, JsonObjects, sameEtag } from "./s3-objects.js";
import type { StoredWorkflow, Tagged, TrashedWorkflow, VersionMeta, WorkflowChanges, WorkflowInput, WorkflowMeta, WorkflowStore } from "./types.js";
import { byUrl, changedWorkflow, checkChanges, checkNames, createdWorkflow, metaOf, newestRemovalFirst, versionOf } from "./workflow-records.js";
import { workflowKeys as keys } from "./workflow-layout.js";

interface CurrentDocument {
  workflow: StoredWorkflow;
  /** Newest first. */
  versions: VersionMeta[];
}

interface TrashDocument extends CurrentDocument {
  deletedAt: string;
}

/** Attempts of an update or remove without an ETag, when other writers keep coming first. */
const MAX_ATTEMPTS = 12;

export class S3WorkflowStore implements WorkflowStore {
  readonly #objects: JsonObjects;

  constructor(client: S3Client, bucket: string) {
    this.#objects = new JsonObjects(client, bucket);
  }

  async list(workspace: string): Promise<WorkflowMeta[]> {
    checkWorkspace(workspace);
    const documents = await this.#objects.readAll<CurrentDocument>(await this.#objects.keys(keys.allCurrent(workspace)));
    return documents.map((document) => metaOf(document.workflow)).sort(byUrl);
  }

  async get(workspace: string, url: string): Promise<Tagged<StoredWorkflow> | undefined> {
    checkNames(workspace, url);
    const current = await this.#objects.read<CurrentDocument>(keys.current(workspace, url));
    return current && { value: current.value.workflow, etag: current.etag };
  }

  async versions(workspace: string, url: string): Promise<VersionMeta[]> {
    checkNames(workspace, url);
    const current = await this.#objects.read<CurrentDocument>(keys.current(workspace, url));
    if (!current) throw workflowNotFound(workspace, url);
    return current.value.versions;
  }

  async getVersion(workspace: string, url: string, versionId: string): Promise<StoredWorkflow | undefined> {
    checkNames(workspace, url);
    if (!SORTABLE_ID.test(versionId)) return undefined;
    return (await this.#objects.read<StoredWorkflow>(keys.version(workspace, url, versionId)))?.value;
  }

  async create(workspace: string, input: WorkflowInput): Promise<Tagged<StoredWorkflow>> {
    const workflow = createdWorkflow(workspace, input);
    try {
      const etag = await this.#commit(workflow, [], { ifNoneMatch: "*" });
      return { value: workflow, etag };
    } catch (error) {
      if (error instanceof ConditionFailed) throw workflowExists(workspace, input.url);
      throw error;
    }
  }

  async update(workspace: string, url: string, changes: WorkflowChanges, ifMatch?: string): Promise<Tagged<StoredWorkflow>> {
    checkChanges(workspace, url, changes);
    return this.#onCurrent(workspace, url, ifMatch, async (current) => {
      const workflow = changedWorkflow(current.value.workflow, changes);
      const etag = await this.#commit(workflow, current.value.versions, { ifMatch: current.etag });
      return { value: workflow, etag };
    });
  }

  async remove(workspace: string, url: string, ifMatch?: string): Promise<void> {
    checkNames(workspace, url);
    await this.#onCurrent(workspace, url, ifMatch, async (current) => {
      // The trash entry first: if the delete then fails, nothing is lost (the entry is taken back).
      const trashKey = keys.trashed(workspace, url, sortableId());
      const trashed: TrashDocument = { ...current.value, deletedAt: new Date().toISOString() };
      await this.#objects.write(trashKey, trashed);
      try {
        await this.#objects.delete(keys.current(workspace, url), current.etag);
      } catch (error) {
        await bestEffort(this.#objects.delete(trashKey));
        throw error;
      }
    });
  }

  async trash(workspace: string): Promise<TrashedWorkflow[]> {
    checkWorkspace(workspace);
    const documents = await this.#objects.readAll<TrashDocument>(await this.#objects.keys(keys.allTrashed(workspace)));
    return documents
      .map((document) => ({ ...metaOf(document.workflow), deletedAt: document.deletedAt }))
      .sort(newestRemovalFirst);
  }

  /** Restores the url's most recent removal. */
  async restore(workspace: string, url: string): Promise<Tagged<StoredWorkflow>> {
    checkNames(workspace, url);
    // Trash ids sort by time: the last key is the latest removal.
    const trashKey = (await this.#objects.keys(keys.allTrashed(workspace, url))).at(-1);
    const trashed = trashKey && (await this.#objects.read<TrashDocument>(trashKey));
    if (!trashKey || !trashed) throw notInTrash(workspace, url);
    const { workflow, versions } = trashed.value;
    let etag: string;
    try {
      etag = await this.#objects.write(keys.current(workspace, url), { workflow, versions } satisfies CurrentDocument, { ifNoneMatch: "*" });
    } catch (error) {
      if (error instanceof ConditionFailed) throw urlTaken(workspace, url);
      throw error;
    }
    await this.#objects.delete(trashKey);
    return { value: workflow, etag };
  }

  /** Stores `workflow` as a new version, then as the current document, written under `condition`. */
  async #commit(workflow: StoredWorkflow, earlier: VersionMeta[], condition: { ifMatch: string } | { ifNoneMatch: "*" }): Promise<string> {
    const versionKey = keys.version(workflow.workspace, workflow.url, workflow.versionId);
    const version = versionOf(workflow);
    // The version before the document that names it: a reader never meets a version id without its version.
    await this.#objects.write(versionKey, workflow);
    try {
      return await this.#objects.write(keys.current(workflow.workspace, workflow.url), { workflow, versions: [version, ...earlier] } satisfies CurrentDocument, condition);
    } catch (error) {
      // Not committed: no index lists this version; delete it so that it does not linger.
      await bestEffort(this.#objects.delete(versionKey));
      throw error;
    }
  }

  /**
   * Reads the current document and runs `change`, which writes conditionally on the ETag read.
   * With the caller's ETag, one try: a different or changed document is 412. Without, a write
   * that lost to another writer starts again from a fresh read.
   */
  async #onCurrent<T>(workspace: string, url: string, ifMatch: string | undefined, change: (current: Tagged<CurrentDocument>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.#objects.read<CurrentDocument>(keys.current(workspace, url));
      if (!current) throw workflowNotFound(workspace, url);
      if (ifMatch !== undefined && !sameEtag(ifMatch, current.etag)) throw staleWorkflow(workspace, url);
      try {
        return await change(current);
      } catch (error) {
        if (!(error instanceof ConditionFailed)) throw error;
        if (ifMatch !== undefined) throw error.reason === "missing" ? workflowNotFound(workspace, url) : staleWorkflow(workspace, url);
        if (attempt === MAX_ATTEMPTS) {
          throw writeConflict(workspace, url, MAX_ATTEMPTS);
        }
        await backoff(attempt);
      }
    }
  }
}

/**
 * Undoing a write that did not count. If the undo fails too, the caller's error is the one to
 * report; what remains is an object no document refers to (a version) or a trash entry of a
 * workflow that was not removed, which restore refuses (409) and the trash's expiry clears.
 */
async function bestEffort(undo: Promise<void>): Promise<void> {
  await undo.catch(() => undefined);
}

/** Exponential with full jitter, so that writers that collided do not collide again in step. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(1000, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
