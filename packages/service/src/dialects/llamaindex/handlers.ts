/**
 * Handlers: `GET /handlers` (filters `status` and `workflow_name`, each repeatable; cvflow adds
 * `limit` and `cursor`, and `next_cursor` in the answer), `GET /handlers/{id}` (200 completed,
 * 202 running, 500 failed or cancelled), `GET /results/{id}` (their deprecated form: `result` is
 * the StopEvent's `result`, the outputs) and `POST /handlers/{id}/cancel` (`purge=true` deletes
 * the run and its events).
 */
import { WorkflowError } from "@cvflow/engine";
import type { RunRecord, Runs, RunStatus } from "@cvflow/runs";
import { isFinished } from "@cvflow/runs";
import type { Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { invalidRequest } from "../../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../../http.js";
import { callerWorkspace, runsOf, visibleRun } from "../../run-access.js";
import { handlerHttpStatus, handlerOf, isHandlerStatus, runStatusesOf, type Handler } from "./handler.js";

/** Theirs lists every handler; a page here is the run store's largest, 100. */
const MAX_PAGE = 100;

export async function listHandlers(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const workspace = callerWorkspace(principal);
  // handle.ts joins a repeated parameter's values with commas: `status=running&status=failed`.
  const statuses = listParameter(request.query["status"]);
  const names = listParameter(request.query["workflow_name"]);
  const limit = pageSize(request.query["limit"]);
  // As theirs: unknown statuses are ignored, and a filter left with none matches nothing.
  const known = statuses?.filter(isHandlerStatus);
  if (known?.length === 0) return ok({ handlers: [] });
  const status: RunStatus[] | undefined = known?.flatMap(runStatusesOf);
  const page = await runs.list(
    { workspace, ...(status ? { status } : {}), ...(names?.length === 1 ? { workflow: names[0]! } : {}) },
    limit,
    request.query["cursor"] || undefined,
  );
  // Several names: the store filters one, so this page keeps those of the others (it may be short; the cursor still holds).
  const records = names && names.length > 1 ? page.runs.filter((run) => names.includes(run.workflow.name)) : page.runs;
  const handlers = await Promise.all(records.map((record) => handlerWithResult(runs, record)));
  return ok({ handlers, ...(page.cursor ? { next_cursor: page.cursor } : {}) });
}

export async function getHandler(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const handler = await handlerWithResult(runs, await visibleRun(runs, handlerId(request), callerWorkspace(principal)));
  return { statusCode: handlerHttpStatus(handler), body: handler };
}

/** Their deprecated `/results/{id}`: the handler, with the StopEvent's `result` instead of the event. */
export async function getResult(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const handler = await handlerWithResult(runs, await visibleRun(runs, handlerId(request), callerWorkspace(principal)));
  return { statusCode: handlerHttpStatus(handler), body: { ...handler, result: handler.result?.value["result"] ?? null } };
}

export async function cancelHandler(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = handlerId(request);
  const record = await visibleRun(runs, id, callerWorkspace(principal));
  if (request.query["purge"]?.toLowerCase() === "true") {
    await runs.purge(id);
    return ok({ status: "deleted" });
  }
  // As theirs: only a handler still running can be cancelled; a finished one is "not found" unless purged.
  if (isFinished(record.status)) {
    throw new WorkflowError("run_not_found", `Run ${id} has already finished (${record.status}): there is nothing to cancel; purge=true deletes it`, 404, { run_id: id, status: record.status });
  }
  await runs.cancel(id);
  return ok({ status: "cancelled" });
}

export function handlerId(request: ServiceRequest): string {
  return request.pathParameters["handler_id"] ?? "";
}

async function handlerWithResult(runs: Runs, record: RunRecord): Promise<Handler> {
  return handlerOf(record, record.status === "succeeded" ? await runs.outputs(record) : undefined);
}

function listParameter(value: string | undefined): string[] | undefined {
  const values = value?.split(",").map((v) => v.trim()).filter(Boolean);
  return values && values.length > 0 ? values : undefined;
}

function pageSize(value: string | undefined): number {
  if (value === undefined || value === "") return MAX_PAGE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalidRequest(`"limit" must be an integer from 1 to ${MAX_PAGE}`, { field: "limit" });
  return limit;
}
