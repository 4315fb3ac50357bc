/**
 * WorkflowStore in memory, with the S3 store's contract (test/contract/workflow-store-contract.ts
 * runs against both): the same checks, errors, orders and ETags (the MD5 of the same document,
 * quoted), versions kept after a removal, every removal in the trash. Counts reads, so that
 * tests can tell when a caller went to storage. The trash does not expire (nor does the local
 * stack's: expiry is the deployment's bucket rule).
 */
import { createHash } from "node:crypto";
import { notInTrash, staleWorkflow, urlTaken, workflowExists, workflowNotFound } from "../errors.js";
import { SORTABLE_ID, sortableId } from "../ids.js";
import { checkWorkspace } from "../names.js";
import { sameEtag } from "../s3-objects.js";
import type { StoredWorkflow, Tagged, TrashedWorkflow, VersionMeta, WorkflowChanges, WorkflowInput, WorkflowMeta, WorkflowStore } from "../types.js";
import { byUrl, changedWorkflow, checkChanges, checkNames, createdWorkflow, metaOf, newestRemovalFirst, versionOf } from "../workflow-records.js";

/** What the S3 store keeps as a workflow's current object: the workflow and its versions, newest first. */
interface Current {
  workflow: StoredWorkflow;
  versions: VersionMeta[];
}

interface Removal extends Current {
  deletedAt: string;
  /** Sorts by time, as the S3 store's trash keys do. */
  trashId: string;
}

export class MemoryWorkflowStore implements WorkflowStore {
  /** By `workspace/url`. */
  readonly #current = new Map<string, Current>();
  /** By `workspace/url/versionId`. */
  readonly #versions = new Map<string, StoredWorkflow>();
  readonly #trash: Removal[] = [];
  /** Calls of `get` and `getVersion`. */
  reads = 0;

  async list(workspace: string): Promise<WorkflowMeta[]> {
    checkWorkspace(workspace);
    return [...this.#current.values()].filter((current) => current.workflow.workspace === workspace).map((current) => metaOf(current.workflow)).sort(byUrl);
  }

  async get(workspace: string, url: string): Promise<Tagged<StoredWorkflow> | undefined> {
    checkNames(workspace, url);
    this.reads++;
    const current = this.#current.get(`${workspace}/${url}`);
    return current && { value: structuredClone(current.workflow), etag: etagOf(current) };
  }

  async versions(workspace: string, url: string): Promise<VersionMeta[]> {
    checkNames(workspace, url);
    return structuredClone(this.#existing(workspace, url).versions);
  }

  async getVersion(workspace: string, url: string, versionId: string): Promise<StoredWorkflow | undefined> {
    checkNames(workspace, url);
    this.reads++;
    if (!SORTABLE_ID.test(versionId)) return undefined;
    const version = this.#versions.get(`${workspace}/${url}/${versionId}`);
    return version && structuredClone(version);
  }

  async create(workspace: string, input: WorkflowInput): Promise<Tagged<StoredWorkflow>> {
    const workflow = createdWorkflow(workspace, input);
    if (this.#current.has(`${workspace}/${input.url}`)) throw workflowExists(workspace, input.url);
    return this.#commit(workflow, []);
  }

  async update(workspace: string, url: string, changes: WorkflowChanges, ifMatch?: string): Promise<Tagged<StoredWorkflow>> {
    checkChanges(workspace, url, changes);
    const current = this.#matching(workspace, url, ifMatch);
    return this.#commit(changedWorkflow(current.workflow, changes), current.versions);
  }

  async remove(workspace: string, url: string, ifMatch?: string): Promise<void> {
    checkNames(workspace, url);
    const current = this.#matching(workspace, url, ifMatch);
    this.#current.delete(`${workspace}/${url}`);
    this.#trash.push({ ...current, deletedAt: new Date().toISOString(), trashId: sortableId() });
  }

  async trash(workspace: string): Promise<TrashedWorkflow[]> {
    checkWorkspace(workspace);
    return this.#trash
      .filter((removal) => removal.workflow.workspace === workspace)
      .map((removal) => ({ ...metaOf(removal.workflow), deletedAt: removal.deletedAt }))
      .sort(newestRemovalFirst);
  }

  async restore(workspace: string, url: string): Promise<Tagged<StoredWorkflow>> {
    checkNames(workspace, url);
    const removals = this.#trash.filter((removal) => removal.workflow.workspace === workspace && removal.workflow.url === url);
    const latest = removals.sort((a, b) => (a.trashId < b.trashId ? -1 : 1)).at(-1);
    if (!latest) throw notInTrash(workspace, url);
    if (this.#current.has(`${workspace}/${url}`)) throw urlTaken(workspace, url);
    this.#trash.splice(this.#trash.indexOf(latest), 1);
    const current: Current = { workflow: latest.workflow, versions: latest.versions };
    this.#current.set(`${workspace}/${url}`, current);
    return { value: structuredClone(current.workflow), etag: etagOf(current) };
  }

  #existing(workspace: string, url: string): Current {
    const current = this.#current.get(`${workspace}/${url}`);
    if (!current) throw workflowNotFound(workspace, url);
    return current;
  }

  #matching(workspace: string, url: string, ifMatch: string | undefined): Current {
    const current = this.#existing(workspace, url);
    if (ifMatch !== undefined && !sameEtag(ifMatch, etagOf(current))) throw staleWorkflow(workspace, url);
    return current;
  }

  #commit(workflow: StoredWorkflow, earlier: VersionMeta[]): Tagged<StoredWorkflow> {
    const current: Current = { workflow: structuredClone(workflow), versions: [versionOf(workflow), ...earlier] };
    this.#versions.set(`${workflow.workspace}/${workflow.url}/${workflow.versionId}`, current.workflow);
    this.#current.set(`${workflow.workspace}/${workflow.url}`, current);
    return { value: workflow, etag: etagOf(current) };
  }
}

/** As S3's: the MD5 of the object the S3 store writes, quoted. */
function etagOf(current: Current): string {
  return `"${createHash("md5").update(JSON.stringify({ workflow: current.workflow, versions: current.versions })).digest("hex")}"`;
}
