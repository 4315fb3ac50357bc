/** Reading saved workflows: the list of a workspace, one workflow (by key or when public) or one of its versions, its versions. */
import type { VersionList, WorkflowAtVersion, WorkflowList } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest, workflowVersionNotFound } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { accessibleWorkflow } from "../workflow-access.js";
import { summaryView, taggedResponse, workflowView } from "../workflow-view.js";

export async function listWorkflows(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workflows = await ctx.store.list(request.pathParameters["workspace"] ?? "");
  // `status` as Roboflow's list answers it.
  return ok({ workflows: workflows.map(summaryView), status: "ok" } satisfies WorkflowList);
}

export async function getWorkflow(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  // Fresh from the store: the ETag it answers is what the next update must carry.
  const saved = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:read", { token: false, useCache: false });
  const versionId = requestedVersion(request.query);
  if (versionId === undefined || versionId === saved.tagged.value.versionId) return taggedResponse(saved.tagged);
  const older = await ctx.saved.version(workspace, url, versionId);
  if (!older) throw workflowVersionNotFound(workspace, url, versionId);
  // Without an ETag, in the body or the header: an update carrying one must have read the current version.
  return ok({ workflow: workflowView(older.tagged.value) } satisfies WorkflowAtVersion);
}

/**
 * The version a read names: `workflow_version_id`, as runs of the workflow name it, or
 * `workflow_version`, as Roboflow's API takes it (inference's server sends it to fetch a pinned
 * version). Both given, they must agree.
 */
function requestedVersion(query: Readonly<Record<string, string>>): string | undefined {
  const { workflow_version_id: id, workflow_version: roboflows } = query;
  if (id !== undefined && roboflows !== undefined && id !== roboflows) {
    throw invalidRequest(`"workflow_version_id" and "workflow_version" name different versions; give one`, { field: "workflow_version" });
  }
  return id ?? roboflows;
}

export async function workflowVersions(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  const versions = await ctx.store.versions(workspace, url);
  return ok({ versions: versions.map(({ versionId, createdAt, name }) => ({ versionId, createdAt, name })) } satisfies VersionList);
}
