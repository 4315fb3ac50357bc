/** Workflows as the management API shows them: `config` is the JSON *string* of `{"specification": …}`. */
import { TRASH_RETENTION_DAYS, type StoredWorkflow, type Tagged, type TrashedWorkflow, type WorkflowMeta } from "@cvflow/store";
import type { TaggedWorkflow, TrashedWorkflow as TrashItem, Workflow, WorkflowSummary } from "@cvflow/wire";
import { ok, created, type ServiceResponse } from "./http.js";
import { bareEtag, etagHeader } from "./etag.js";

export function summaryView(meta: WorkflowMeta): WorkflowSummary {
  const { id, url, name, workspace, createdAt, updatedAt, versionId } = meta;
  return { id, url, name, workspace, public: meta.public, createdAt, updatedAt, versionId };
}

const DAY_MS = 86_400_000;

/** A trash item: the workflow, when it was deleted and when it goes, and its kind as Roboflow's trash names items. */
export function trashedView(meta: TrashedWorkflow): TrashItem {
  return { ...summaryView(meta), deletedAt: meta.deletedAt, scheduledCleanupAt: cleanupTime(meta.deletedAt), type: "workflow" };
}

/** When the bucket's expiry rule for the trash removes an entry: S3 adds the days to its creation and rounds up to midnight UTC. */
function cleanupTime(deletedAt: string): string {
  return new Date(Math.ceil((Date.parse(deletedAt) + TRASH_RETENTION_DAYS * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
}

export function workflowView(stored: StoredWorkflow): Workflow {
  return { ...summaryView(stored), config: JSON.stringify({ specification: stored.specification }) };
}

/** `{"workflow", "etag"}` (and `extra`) with the `ETag` header: what reads and writes of one workflow answer. */
export function taggedResponse(tagged: Tagged<StoredWorkflow>, status: 200 | 201 = 200, extra: Record<string, unknown> = {}): ServiceResponse {
  const body = { ...({ workflow: workflowView(tagged.value), etag: bareEtag(tagged.etag) } satisfies TaggedWorkflow), ...extra };
  return status === 201 ? created(body, etagHeader(tagged.etag)) : ok(body, etagHeader(tagged.etag));
}
