/**
 * Runs: an inline specification (`POST /workflows/run`) or a saved workflow, current or an older
 * version (`POST /{workspace}/workflows/{workflow_id}` and the legacy
 * `POST /infer/workflows/{workspace}/{workflow_id}`). The request's signal carries the deadline
 * into the engine, which answers 504 `deadline_exceeded` with the steps that had finished.
 * Where the deployment keeps runs, each run has a record and events (a sync run of @cvflow/runs,
 * executed here), named in `X-Cvflow-Run-Id`; the answer is the same either way.
 * `disable_sinks` (Roboflow's, sent by inference_sdk) makes every sink step answer that it sent nothing.
 */
import { WorkflowError, type RunResult } from "@cvflow/engine";
import type { WorkflowReference } from "@cvflow/runs";
import { RUN_ID_HEADER, type RunResponse } from "@cvflow/wire";
import { startedBy, type Principal } from "../auth.js";
import { bodyObject, optionalBoolean, optionalObject, optionalString, optionalStringList, type Fields } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest, ServiceError, workflowVersionNotFound } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import { asWorkspace } from "../s3-images.js";
import { savedPlan, withInnerWorkflows } from "../inner-workflows.js";
import { accessibleWorkflow } from "../workflow-access.js";

export async function runInline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const fields = bodyObject(request.body);
  const specification = fields["specification"];
  if (specification === undefined || specification === null) {
    throw invalidRequest(`"specification" is required: the workflow definition to run`, { field: "specification" });
  }
  return run(ctx, await withInnerWorkflows(ctx, principal, specification), { name: "inline" }, fields, request, principal);
}

export async function runSaved(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  const fields = bodyObject(request.body);
  const useCache = optionalBoolean(fields, "use_cache") ?? true;
  const current = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:run", { token: true, useCache });
  const versionId = optionalString(fields, "workflow_version_id");
  const reference = (version: string): WorkflowReference => ({ workspace, id: url, versionId: version, name: url });
  if (versionId === undefined || versionId === current.tagged.value.versionId) return run(ctx, await savedPlan(ctx, current), reference(current.tagged.value.versionId), fields, request, principal);
  const older = await ctx.saved.version(workspace, url, versionId, useCache);
  if (!older) {
    throw workflowVersionNotFound(workspace, url, versionId);
  }
  return run(ctx, await savedPlan(ctx, older), reference(versionId), fields, request, principal);
}

/** `workflow`: a definition, or a plan already compiled. Its s3 inputs may be uploads of the caller's workspace. */
async function run(ctx: ServiceContext, workflow: unknown, reference: WorkflowReference, fields: Fields, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const inputs = optionalObject(fields, "inputs") ?? {};
  const caller = principal.type === "anonymous" ? undefined : principal.workspace;
  const excludedFields = optionalStringList(fields, "excluded_fields");
  const enableProfiling = optionalBoolean(fields, "enable_profiling") ?? false;
  const disableSinks = optionalBoolean(fields, "disable_sinks") ?? false;
  const { runs } = ctx;
  if (!runs) {
    const services = disableSinks ? { services: { sinksDisabled: true } } : {};
    const result = await asWorkspace(caller, () => ctx.engine.run(workflow, inputs, { signal: request.signal, excludedFields, enableProfiling, ...services }));
    return ok(runResponse(result));
  }
  const idempotencyKey = request.headers["idempotency-key"];
  const executed = await asWorkspace(caller, () =>
    runs.runInProcess(
      { workflow, reference, inputs, workspace: caller ?? "", startedBy: startedBy(principal), ...(excludedFields ? { excludedFields } : {}), ...(disableSinks ? { disableSinks } : {}), ...(idempotencyKey ? { idempotencyKey } : {}) },
      request.signal,
      { enableProfiling },
    ),
  );
  const headers = { [RUN_ID_HEADER]: executed.record.id };
  if (executed.result) return ok(runResponse(executed.result), headers);
  // The engine's error as it would have been answered without a record, naming the run.
  const error = executed.error;
  if (error instanceof WorkflowError) throw new ServiceError(error.code, error.message, error.status, error.details, { ...(error instanceof ServiceError ? error.headers : {}), ...headers });
  throw error;
}

function runResponse(result: RunResult): RunResponse {
  return result.profilerTrace ? { outputs: result.outputs, profiler_trace: result.profilerTrace } : { outputs: result.outputs };
}
