/**
 * Writing saved workflows: create, update (a new version each time), fork, delete to the trash.
 * Updates and deletes may carry the ETag they read (`If-Match` or `"etag"`): the store refuses a
 * stale one with 412 `precondition_failed`, so concurrent editors never lose each other's work.
 * Every field may come in the body or the query string (management-fields.ts); `template`, which
 * Roboflow's createWorkflow takes, is accepted and not stored.
 */
import { optionalBoolean, optionalString, requiredString } from "../body.js";
import type { ServiceContext } from "../context.js";
import { badRequest, workflowNotFound } from "../errors.js";
import { carriedEtag } from "../etag.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { managementFields } from "../management-fields.js";
import { specificationOf } from "../specification.js";
import { urlFromName } from "../workflow-names.js";
import { taggedResponse } from "../workflow-view.js";

export async function createWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const fields = managementFields(request, "CreateWorkflowRequest");
  const name = requiredString(fields, "name");
  const url = optionalString(fields, "url") ?? urlFromName(name);
  if (fields["config"] === undefined) throw badRequest("invalid_request", `"config" is required: the workflow definition`, { field: "config" });
  const tagged = await ctx.store.create(workspace, {
    url,
    name,
    specification: specificationOf(fields["config"]),
    public: optionalBoolean(fields, "public") ?? false,
  });
  ctx.saved.remember(tagged);
  return taggedResponse(tagged, 201);
}

export async function updateWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const fields = managementFields(request, "UpdateWorkflowRequest");
  const url = requiredString(fields, "url");
  const changes = {
    ...(fields["name"] != null ? { name: requiredString(fields, "name") } : {}),
    ...(fields["config"] != null ? { specification: specificationOf(fields["config"]) } : {}),
    ...(fields["public"] != null ? { public: optionalBoolean(fields, "public") } : {}),
  };
  if (Object.keys(changes).length === 0) throw badRequest("invalid_request", `Nothing to update: give "name", "config" or "public"`);
  ctx.saved.forget(workspace, url);
  const tagged = await ctx.store.update(workspace, url, changes, carriedEtag(request, fields));
  ctx.saved.remember(tagged);
  return taggedResponse(tagged);
}

export async function forkWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const fields = managementFields(request, "ForkWorkflowRequest");
  const url = requiredString(fields, "url");
  const source = await ctx.store.get(workspace, url);
  if (!source) throw workflowNotFound(workspace, url);
  const newUrl = optionalString(fields, "new_url") ?? `${url}-copy`;
  const tagged = await ctx.store.create(workspace, {
    url: newUrl,
    name: optionalString(fields, "new_name") ?? `${source.value.name} (copy)`,
    specification: source.value.specification,
    public: false,
  });
  ctx.saved.remember(tagged);
  return taggedResponse(tagged, 201);
}

export async function deleteWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  ctx.saved.forget(workspace, url);
  await ctx.store.remove(workspace, url, carriedEtag(request, managementFields(request, "DeleteWorkflowRequest")));
  return ok({ deleted: url });
}
