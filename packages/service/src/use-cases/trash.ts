/** The trash of a workspace: deleted workflows, kept 30 days, and their restoring. */
import { requiredString } from "../body.js";
import type { ServiceContext } from "../context.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { managementFields } from "../management-fields.js";
import { taggedResponse, trashedView } from "../workflow-view.js";

export async function listTrash(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workflows = await ctx.store.trash(request.pathParameters["workspace"] ?? "");
  return ok({ workflows: workflows.map(trashedView) });
}

export async function restoreWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const url = requiredString(managementFields(request, "RestoreWorkflowRequest"), "url");
  const tagged = await ctx.store.restore(workspace, url);
  ctx.saved.remember(tagged);
  return taggedResponse(tagged);
}
