/**
 * The trash of a workspace: deleted workflows, kept 30 days, and their restoring. The list and the
 * restore also answer in the shape Roboflow's clients read (its Python SDK's `trash()` reads
 * `items` and `sections.workflows`; its `restore_from_trash("workflow", id)` sends `{type, id}`
 * and gets `{restored, type, id}`), beside cvflow's own.
 */
import type { RestoredWorkflow, TaggedWorkflow, TrashList } from "@cvflow/wire";
import { optionalString } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { managementFields, namedWorkflow } from "../management-fields.js";
import { taggedResponse, trashedView } from "../workflow-view.js";

export async function listTrash(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workflows = (await ctx.store.trash(request.pathParameters["workspace"] ?? "")).map(trashedView);
  return ok({ workflows, items: workflows, sections: { workflows } } satisfies TrashList);
}

export async function restoreWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const fields = managementFields(request, "RestoreWorkflowRequest");
  const type = optionalString(fields, "type");
  if (type !== undefined && type !== "workflow") {
    throw invalidRequest(`"type" must be "workflow": the trash here holds workflows only, not ${JSON.stringify(type)}`, { field: "type" });
  }
  const tagged = await ctx.store.restore(workspace, namedWorkflow(fields));
  ctx.saved.remember(tagged);
  return taggedResponse(tagged, 200, { restored: true, type: "workflow", id: tagged.value.id } satisfies Omit<RestoredWorkflow, keyof TaggedWorkflow>);
}
