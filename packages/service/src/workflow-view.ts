/** Workflows as the management API shows them: `config` is the JSON *string* of `{"specification": …}`. */
import type { StoredWorkflow, Tagged, TrashedWorkflow, WorkflowMeta } from "@cvflow/store";
import { ok, created, type ServiceResponse } from "./http.js";
import { bareEtag, etagHeader } from "./etag.js";

export interface WorkflowSummary {
  id: string;
  url: string;
  name: string;
  workspace: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
  versionId: string;
}

export function summaryView(meta: WorkflowMeta): WorkflowSummary {
  const { id, url, name, workspace, createdAt, updatedAt, versionId } = meta;
  return { id, url, name, workspace, public: meta.public, createdAt, updatedAt, versionId };
}

export function trashedView(meta: TrashedWorkflow): WorkflowSummary & { deletedAt: string } {
  return { ...summaryView(meta), deletedAt: meta.deletedAt };
}

export function workflowView(stored: StoredWorkflow): WorkflowSummary & { config: string } {
  return { ...summaryView(stored), config: JSON.stringify({ specification: stored.specification }) };
}

/** `{"workflow", "etag"}` with the `ETag` header: what reads and writes of one workflow answer. */
export function taggedResponse(tagged: Tagged<StoredWorkflow>, status: 200 | 201 = 200): ServiceResponse {
  const body = { workflow: workflowView(tagged.value), etag: bareEtag(tagged.etag) };
  return status === 201 ? created(body, etagHeader(tagged.etag)) : ok(body, etagHeader(tagged.etag));
}
