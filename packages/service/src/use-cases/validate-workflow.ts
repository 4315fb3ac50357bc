/** `POST /workflows/validate`: compiles a definition (bare or wrapped) and reports every problem at once. */
import type { ValidateResponse } from "@cvflow/wire";
import { isRecord } from "@cvflow/wire";
import type { ServiceContext } from "../context.js";
import { withInnerWorkflows } from "../inner-workflows.js";
import { invalidRequest } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";

export async function validateWorkflow(ctx: ServiceContext, request: ServiceRequest): Promise<ServiceResponse> {
  if (!isRecord(request.body)) throw invalidRequest("The body must be a workflow definition: a JSON object, bare or {\"specification\": …}");
  const { api_key: _key, ...definition } = request.body; // a credential is no part of the definition
  // Open to anyone: it includes public saved workflows only.
  const plan = ctx.engine.compile(await withInnerWorkflows(ctx, { type: "anonymous" }, definition));
  return ok((plan.warnings.length > 0 ? { status: "ok", warnings: plan.warnings } : { status: "ok" }) satisfies ValidateResponse);
}
