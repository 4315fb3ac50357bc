/**
 * What a workflow record is, whichever store keeps it: the checks before a write, the record a
 * create or an update makes, its version entry, its summary, and the orders lists come in.
 */
import { sortableId } from "./ids.js";
import { checkSpecification, checkWorkflowName, checkWorkflowUrl, checkWorkspace } from "./names.js";
import type { StoredWorkflow, TrashedWorkflow, VersionMeta, WorkflowChanges, WorkflowInput, WorkflowMeta } from "./types.js";

export function checkNames(workspace: string, url: string): void {
  checkWorkspace(workspace);
  checkWorkflowUrl(url);
}

/** The first version of a workflow, checked. */
export function createdWorkflow(workspace: string, input: WorkflowInput): StoredWorkflow {
  checkNames(workspace, input.url);
  checkWorkflowName(input.name);
  checkSpecification(input.specification);
  const now = new Date().toISOString();
  return {
    workspace,
    id: input.url,
    url: input.url,
    name: input.name,
    public: input.public ?? false,
    createdAt: now,
    updatedAt: now,
    versionId: sortableId(),
    specification: input.specification,
  };
}

/** Throws before anything is read when `changes` could not be applied. */
export function checkChanges(workspace: string, url: string, changes: WorkflowChanges): void {
  checkNames(workspace, url);
  if (changes.name !== undefined) checkWorkflowName(changes.name);
  if (changes.specification !== undefined) checkSpecification(changes.specification);
}

/** The next version: `changes` over `before`, a new versionId. */
export function changedWorkflow(before: StoredWorkflow, changes: WorkflowChanges): StoredWorkflow {
  return {
    ...before,
    name: changes.name ?? before.name,
    public: changes.public ?? before.public,
    specification: changes.specification ?? before.specification,
    updatedAt: new Date().toISOString(),
    versionId: sortableId(),
  };
}

export function versionOf(workflow: StoredWorkflow): VersionMeta {
  return { versionId: workflow.versionId, createdAt: workflow.updatedAt, name: workflow.name };
}

export function metaOf(workflow: StoredWorkflow): WorkflowMeta {
  const { workspace, id, url, name, updatedAt, createdAt, versionId } = workflow;
  return { workspace, id, url, name, public: workflow.public, createdAt, updatedAt, versionId };
}

/** `list` answers by url. */
export function byUrl(a: WorkflowMeta, b: WorkflowMeta): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

/** `trash` answers the newest removal first. */
export function newestRemovalFirst(a: TrashedWorkflow, b: TrashedWorkflow): number {
  return a.deletedAt < b.deletedAt ? 1 : a.deletedAt > b.deletedAt ? -1 : 0;
}
