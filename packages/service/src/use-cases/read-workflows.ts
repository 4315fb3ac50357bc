/** Reading saved workflows: the list of a workspace, one workflow (by key or when public), its versions. */
import type { VersionList, WorkflowList } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import type { ServiceContext } from "../context.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { accessibleWorkflow } from "../workflow-access.js";
import { summaryView, taggedResponse } from "../workflow-view.js";

export async function listWorkflows(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workflows = await ctx.store.list(request.pathParameters["workspace"] ?? "");
  // `status` as Roboflow's list answers it.
  return ok({ workflows: workflows.map(summaryView), status: "ok" } satisfies WorkflowList);
}

export async function getWorkflow(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  // Fresh from the store: the ETag it answers is what the next update must carry.
  const saved = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:read", { token: false, useCache: false });
  return taggedResponse(saved.tagged);
}

export async function workflowVersions(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  const versions = await ctx.store.versions(workspace, url);
  return ok({ versions: versions.map(({ versionId, createdAt, name }) => ({ versionId, createdAt, name })) } satisfies VersionList);
}
