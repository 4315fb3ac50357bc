/**
 * `GET /workflows` (the names of the caller's saved workflows), `POST /workflows/{name}/run`
 * (runs in the request, as cvflow's sync runs do, and answers the finished handler: 200 when it
 * completed, 500 otherwise) and `POST /workflows/{name}/run-nowait` (starts an async run and
 * answers its handler at once). `{name}` is a saved workflow's id (its url) in the API key's
 * workspace; the start event's fields are its inputs (start-event.ts).
 */
import type { RunRequest } from "@cvflow/runs";
import { startedBy, type Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../../http.js";
import { asWorkspace } from "../../s3-images.js";
import type { SavedWorkflow } from "../../saved-workflows.js";
import { accessibleWorkflow } from "../../workflow-access.js";
import { callerWorkspace, runsOf } from "../../run-access.js";
import { handlerOf } from "./handler.js";
import { startEventInputs } from "./start-event.js";

export async function listWorkflowNames(ctx: ServiceContext, principal: Principal): Promise<ServiceResponse> {
  const workflows = await ctx.store.list(callerWorkspace(principal));
  return ok({ workflows: workflows.map((workflow) => workflow.url) });
}

export async function runAndWait(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const { saved, run } = await runRequest(ctx, request, principal);
  // In the request, as cvflow's sync runs: its s3 image inputs may be uploads of the caller's workspace.
  const record = await asWorkspace(run.workspace, () => runs.runSync({ ...run, workflow: saved.plan() }, request.signal));
  const handler = handlerOf(record, record.status === "succeeded" ? await runs.outputs(record) : undefined);
  return { statusCode: handler.status === "completed" ? 200 : 500, body: handler };
}

export async function runNowait(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const { saved, run } = await runRequest(ctx, request, principal);
  // An async run's worker reads the definition (not a plan) from the run's stored request.
  const record = await runs.start({ ...run, workflow: saved.tagged.value.specification });
  // A repeated Idempotency-Key may answer a run that has finished already.
  return ok(handlerOf(record, record.status === "succeeded" ? await runs.outputs(record) : undefined));
}

/** The saved workflow `{name}` names and the run's request, but for the form of its workflow. */
async function runRequest(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<{ saved: SavedWorkflow; run: Omit<RunRequest, "workflow"> }> {
  const workspace = callerWorkspace(principal);
  const name = request.pathParameters["name"] ?? "";
  const inputs = startEventInputs(request.body);
  const saved = await accessibleWorkflow(ctx, principal, workspace, name, "workflow:run", { token: false, useCache: true });
  const idempotencyKey = request.headers["idempotency-key"];
  return {
    saved,
    run: {
      reference: { workspace, id: name, versionId: saved.tagged.value.versionId, name },
      inputs,
      workspace,
      startedBy: startedBy(principal),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    },
  };
}
