/**
 * Reading runs the Dify way: `GET /workflows/run/{workflow_run_id}`, `GET /workflows/logs` and
 * `GET /workflow/{workflow_run_id}/events` (Dify's resumable stream of a run).
 *
 * A run is seen by the app it belongs to (the workflow, run with a key of the caller's workspace);
 * where Dify takes a `user` (the events route; `user` or Dify's `created_by_end_user_session_id`
 * on the others, a cvflow addition there) only that user's runs are seen.
 */
import { runNotFound, type RunFilter, type RunRecord } from "@cvflow/runs";
import type { Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { invalidRequest } from "../../errors.js";
import { lastEventId } from "../../event-stream.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../../http.js";
import { difyApp, type DifyApp } from "./app.js";
import { ownedBy } from "./run.js";
import { difyEventStream, difyRuns } from "./runs.js";
import { logEntry, runDetail, runStatusesOf, type DifyStatus } from "./views.js";

/** How many runs `logs` reads at most to count `total` (Dify counts in SQL; cvflow lists S3). */
const MAX_COUNTED = 10_000;
const LOG_STATUSES: readonly DifyStatus[] = ["running", "paused", "succeeded", "failed", "stopped"];

export async function getRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const app = await difyApp(ctx, request, principal);
  const record = await appRun(ctx, app, request.pathParameters["workflow_run_id"] ?? "", userOf(request));
  return ok(runDetail(record, await difyRuns(ctx).outputs(record)));
}

export async function runEvents(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const app = await difyApp(ctx, request, principal);
  const user = request.query["user"];
  if (!user) throw invalidRequest('"user" is required (query parameter): the end user who started the run', { field: "user" });
  const record = await appRun(ctx, app, request.pathParameters["task_id"] ?? "", user);
  return difyEventStream(difyRuns(ctx), record, resumeAfter(request), request);
}

export async function listLogs(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const app = await difyApp(ctx, request, principal);
  const { query } = request;
  const page = integer(query, "page", 1, 99_999, 1);
  const limit = integer(query, "limit", 1, 100, 20);
  const status = query["status"];
  if (status !== undefined && !LOG_STATUSES.includes(status as DifyStatus)) throw invalidRequest(`"status" must be one of ${LOG_STATUSES.join(", ")}`, { field: "status" });
  const user = userOf(request);
  const filter: RunFilter = {
    workspace: app.caller,
    workflow: app.url,
    ...(status ? { status: runStatusesOf(status as DifyStatus) } : {}),
    ...(user === undefined ? {} : { user }),
    ...(query["keyword"] ? { keyword: query["keyword"] } : {}),
    ...time(query, "created_at__after", "from"),
    ...time(query, "created_at__before", "to"),
  };
  const matching = await allRuns(ctx, app, filter);
  const from = (page - 1) * limit;
  return ok({ page, limit, total: matching.length, has_more: matching.length > from + limit, data: matching.slice(from, from + limit).map(logEntry) });
}

/** The app's runs that pass the filter, newest first (at most MAX_COUNTED). */
async function allRuns(ctx: ServiceContext, app: DifyApp, filter: RunFilter): Promise<RunRecord[]> {
  const runs = difyRuns(ctx);
  const found: RunRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await runs.list(filter, 100, cursor);
    found.push(...page.runs.filter((record) => ownedBy(record, app, undefined)));
    cursor = page.cursor;
  } while (cursor && found.length < MAX_COUNTED);
  return found;
}

async function appRun(ctx: ServiceContext, app: DifyApp, id: string, user: string | undefined): Promise<RunRecord> {
  const record = await difyRuns(ctx).get(id);
  if (!record || !ownedBy(record, app, user)) throw runNotFound(id);
  return record;
}

function userOf(request: ServiceRequest): string | undefined {
  return request.query["user"] || request.query["created_by_end_user_session_id"] || undefined;
}

/** `Last-Event-ID` (an SSE client reconnecting) or cvflow's `after` query parameter; 0: from the start. */
function resumeAfter(request: ServiceRequest): number {
  const header = lastEventId(request.headers);
  if (header !== undefined) return header;
  return integer(request.query, "after", 0, Number.MAX_SAFE_INTEGER, 0);
}

function integer(query: Readonly<Record<string, string>>, name: string, min: number, max: number, fallback: number): number {
  const text = query[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw invalidRequest(`"${name}" must be an integer from ${min} to ${max}`, { field: name });
  return value;
}

/** An ISO 8601 time as Dify takes it (`2024-08-01T12:00:00Z`), as epoch ms under `as`. */
function time(query: Readonly<Record<string, string>>, name: string, as: "from" | "to"): Partial<Record<"from" | "to", number>> {
  const text = query[name];
  if (!text) return {};
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalidRequest(`"${name}" must be an ISO 8601 time such as 2024-08-01T12:00:00Z`, { field: name });
  return { [as]: ms };
}
