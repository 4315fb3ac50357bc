/**
 * Writing saved workflows: create, update (a new version each time), fork, delete to the trash.
 * Updates and deletes may carry the ETag they read (`If-Match` or `"etag"`): the store refuses a
 * stale one with 412 `precondition_failed`, so concurrent editors never lose each other's work.
 * Every field may come in the body or the query string (management-fields.ts); `template`, which
 * Roboflow's createWorkflow takes, is accepted and not stored. Update and fork also take the
 * fields Roboflow's Python SDK sends (`id`; `source_workspace`, `source_workflow`, `name`, `url`).
 */
import type { DeletedWorkflow } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import { optionalBoolean, optionalString, requiredString, type Fields } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest } from "../errors.js";
import { carriedEtag } from "../etag.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { managementFields, namedWorkflow } from "../management-fields.js";
import { specificationOf } from "../specification.js";
import { accessibleWorkflow } from "../workflow-access.js";
import { urlFromName } from "../workflow-names.js";
import { taggedResponse } from "../workflow-view.js";

export async function createWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const fields = managementFields(request, "CreateWorkflowRequest");
  const name = requiredString(fields, "name");
  const url = optionalString(fields, "url") ?? urlFromName(name);
  if (fields["config"] === undefined) throw invalidRequest(`"config" is required: the workflow definition`, { field: "config" });
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
  const url = namedWorkflow(fields);
  const changes = {
    ...(fields["name"] != null ? { name: requiredString(fields, "name") } : {}),
    ...(fields["config"] != null ? { specification: specificationOf(fields["config"]) } : {}),
    ...(fields["public"] != null ? { public: optionalBoolean(fields, "public") } : {}),
  };
  if (Object.keys(changes).length === 0) throw invalidRequest(`Nothing to update: give "name", "config" or "public"`);
  ctx.saved.forget(workspace, url);
  const tagged = await ctx.store.update(workspace, url, changes, carriedEtag(request, fields));
  ctx.saved.remember(tagged);
  return taggedResponse(tagged);
}

export async function forkWorkflow(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const workspace = request.pathParameters["workspace"] ?? "";
  const fork = forkRequest(workspace, managementFields(request, "ForkWorkflowRequest"));
  // The caller's rights where the source is: a key reads its own workspace, and elsewhere only what is public.
  const source = await accessibleWorkflow(ctx, principal, fork.source.workspace, fork.source.url, "workflow:read", { token: false, useCache: false });
  const tagged = await ctx.store.create(workspace, {
    url: fork.url ?? `${fork.source.url}-copy`,
    name: fork.name ?? `${source.tagged.value.name} (copy)`,
    specification: source.tagged.value.specification,
    public: false,
  });
  ctx.saved.remember(tagged);
  return taggedResponse(tagged, 201);
}

interface ForkRequest {
  source: { workspace: string; url: string };
  url: string | undefined;
  name: string | undefined;
}

/**
 * cvflow's form names the source `url` (in this workspace) and the copy `new_url`, `new_name`;
 * Roboflow's (its Python SDK's fork_workflow) names the source `source_workspace` and
 * `source_workflow`, and the copy `url`, `name`. `source_workflow` selects Roboflow's form; a field
 * of the other form is refused rather than read in a meaning its sender did not intend.
 */
function forkRequest(workspace: string, fields: Fields): ForkRequest {
  const roboflowForm = fields["source_workflow"] != null;
  const stray = (roboflowForm ? ["new_url", "new_name"] : ["source_workspace", "name"]).find((field) => fields[field] != null);
  if (stray !== undefined) {
    const why = roboflowForm
      ? `with "source_workflow" (Roboflow's form) the copy is named by "url" and "name"`
      : `it belongs to Roboflow's form, which names the source "source_workflow"; cvflow's form names it "url" and the copy "new_url" and "new_name"`;
    throw invalidRequest(`forkWorkflow does not take "${stray}" here: ${why}`, { field: stray });
  }
  if (roboflowForm) {
    return {
      source: { workspace: optionalString(fields, "source_workspace") ?? workspace, url: requiredString(fields, "source_workflow") },
      url: optionalString(fields, "url"),
      name: optionalString(fields, "name"),
    };
  }
  return { source: { workspace, url: requiredString(fields, "url") }, url: optionalString(fields, "new_url"), name: optionalString(fields, "new_name") };
}

export async function deleteWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  ctx.saved.forget(workspace, url);
  await ctx.store.remove(workspace, url, carriedEtag(request, managementFields(request, "DeleteWorkflowRequest")));
  return ok({ deleted: url } satisfies DeletedWorkflow);
}
