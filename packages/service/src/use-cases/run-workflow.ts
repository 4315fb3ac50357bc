/**
 * Runs: an inline specification (`POST /workflows/run`) or a saved workflow, current or an older
 * version (`POST /{workspace}/workflows/{workflow_id}` and the legacy
 * `POST /infer/workflows/{workspace}/{workflow_id}`). The request's signal carries the deadline
 * into the engine, which answers 504 `deadline_exceeded` with the steps that had finished.
 */
import type { RunResponse } from "@cvflow/wire";
import type { Principal } from "../auth.js";
import { bodyObject, optionalBoolean, optionalObject, optionalString, optionalStringList, type Fields } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest, workflowVersionNotFound } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { asWorkspace } from "../s3-images.js";
import { accessibleWorkflow } from "../workflow-access.js";

export async function runInline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const fields = bodyObject(request.body);
  const specification = fields["specification"];
  if (specification === undefined || specification === null) {
    throw invalidRequest(`"specification" is required: the workflow definition to run`, { field: "specification" });
  }
  return run(ctx, specification, fields, request, principal);
}

export async function runSaved(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  const fields = bodyObject(request.body);
  const useCache = optionalBoolean(fields, "use_cache") ?? true;
  const current = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:run", { token: true, useCache });
  const versionId = optionalString(fields, "workflow_version_id");
  if (versionId === undefined || versionId === current.tagged.value.versionId) return run(ctx, current.plan(), fields, request, principal);
  const older = await ctx.saved.version(workspace, url, versionId, useCache);
  if (!older) {
    throw workflowVersionNotFound(workspace, url, versionId);
  }
  return run(ctx, older.plan(), fields, request, principal);
}

/** `workflow`: a definition, or a plan already compiled. Its s3 inputs may be uploads of the caller's workspace. */
async function run(ctx: ServiceContext, workflow: unknown, fields: Fields, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const inputs = optionalObject(fields, "inputs") ?? {};
  const caller = principal.type === "anonymous" ? undefined : principal.workspace;
  const result = await asWorkspace(caller, () =>
    ctx.engine.run(workflow, inputs, {
      signal: request.signal,
      excludedFields: optionalStringList(fields, "excluded_fields"),
      enableProfiling: optionalBoolean(fields, "enable_profiling") ?? false,
    }),
  );
  return ok((result.profilerTrace ? { outputs: result.outputs, profiler_trace: result.profilerTrace } : { outputs: result.outputs }) satisfies RunResponse);
}
