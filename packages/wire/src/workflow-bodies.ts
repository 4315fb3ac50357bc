/**
 * The bodies of the management routes' answers (docs/api.md "Saved workflows"), as the service
 * sends them and the SDK reads them. Types only.
 */

/** A workflow as lists show it. `id` equals `url`, its name in routes. */
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

export interface Workflow extends WorkflowSummary {
  /** The JSON string of `{"specification": ...}`, as the management API sends it. */
  config: string;
}

/** A trash item: the workflow, when it was deleted and when it goes, and its kind as Roboflow's trash names items. */
export interface TrashedWorkflow extends WorkflowSummary {
  deletedAt: string;
  /** When the deployment's bucket rule removes it. */
  scheduledCleanupAt: string;
  type: "workflow";
}

export interface WorkflowVersion {
  versionId: string;
  createdAt: string;
  name: string;
}

/** A workflow with the ETag that updates and deletes carry back: what reads and writes of one workflow answer. */
export interface TaggedWorkflow {
  workflow: Workflow;
  etag: string;
}

/**
 * An older version of a workflow, as a read naming it answers (`?workflow_version_id=`): the
 * workflow as that version saved it, its `versionId` that version's. No ETag: only the current
 * version's is carried back to update, and an older one must not pass for it.
 */
export interface WorkflowAtVersion {
  workflow: Workflow;
}

/** A restore's answer: cvflow's TaggedWorkflow, and what Roboflow's clients read. */
export interface RestoredWorkflow extends TaggedWorkflow {
  restored: true;
  type: "workflow";
  id: string;
}

/** `status` as Roboflow's list answers it. */
export interface WorkflowList {
  workflows: WorkflowSummary[];
  status: "ok";
}

/** Newest deletion first; `items` and `sections.workflows` are the same list, where Roboflow's clients read it. */
export interface TrashList {
  workflows: TrashedWorkflow[];
  items: TrashedWorkflow[];
  sections: { workflows: TrashedWorkflow[] };
}

/** Newest first. */
export interface VersionList {
  versions: WorkflowVersion[];
}

export interface DeletedWorkflow {
  deleted: string;
}

export interface TokenResponse {
  /** A Bearer credential that may only run the workflow it was made for. */
  token: string;
  expires_at: string;
}
