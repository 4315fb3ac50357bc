/**
 * cvflow's own run routes (docs/runs.md): start an async run of a definition or of a saved
 * workflow (202 and its record at once), list the runs of the caller's workspace, read one, follow
 * its events (SSE or NDJSON, resumable by sequence number), cancel, retry, answer, delete. Every
 * route goes through `Runs` (@cvflow/runs); a run of another workspace is a 404.
 */
import { RUN_STATUSES, isFinished, runInputsNotKept, runNotFound, type RunEvent, type RunFilter, type RunRecord, type RunRequest, type RunStatus, type Runs, type WorkflowReference } from "@cvflow/runs";
import { isRecord, type RunInputs } from "@cvflow/wire";
import { startedBy, type Principal } from "../auth.js";
import { presignUploadedInputs } from "../browser-inputs.js";
import { bodyObject, optionalBoolean, optionalInteger, optionalObject, optionalString, optionalStringList, type Fields } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest, workflowVersionNotFound } from "../errors.js";
import { lastEventId, ndjsonResponse, sseResponse, type StreamEvent } from "../event-stream.js";
import { ok, type JsonResponse, type ServiceRequest, type ServiceResponse, type StreamResponse } from "../http.js";
import { savedWithInnerWorkflows, withInnerWorkflows } from "../inner-workflows.js";
import { callerWorkspace, runsOf, visibleRun } from "../run-access.js";
import { accessibleWorkflow } from "../workflow-access.js";

/** The longest `limit_ms` a request may name (a durable execution's own maximum is a year); the deployment's maximum caps it further. */
const MAX_LIMIT_MS = 365 * 24 * 3600 * 1000;
const MAX_IDEMPOTENCY_KEY = 255;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** Events read per request while reading without following. */
const READ_PAGE = 1000;

export async function startInlineRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const fields = bodyObject(request.body);
  const specification = fields["specification"];
  if (specification === undefined || specification === null) throw invalidRequest(`"specification" is required: the workflow definition to run`, { field: "specification" });
  return start(ctx, request, principal, fields, await withInnerWorkflows(ctx, principal, specification), { name: "inline" });
}

export async function startSavedRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { workspace = "", workflow_id: url = "" } = request.pathParameters;
  const fields = bodyObject(request.body);
  callerWorkspace(principal);
  const useCache = optionalBoolean(fields, "use_cache") ?? true;
  const current = await accessibleWorkflow(ctx, principal, workspace, url, "workflow:run", { token: false, useCache });
  const versionId = optionalString(fields, "workflow_version_id");
  const saved = versionId === undefined || versionId === current.tagged.value.versionId ? current : await ctx.saved.version(workspace, url, versionId, useCache);
  if (!saved) throw workflowVersionNotFound(workspace, url, versionId!);
  // The durable execution reads the definition itself (the run's stored request), not this process's plan.
  // What it includes is loaded now: the run keeps the workflows as they were when it started.
  return start(ctx, request, principal, fields, await savedWithInnerWorkflows(ctx, saved), { workspace, id: url, versionId: saved.tagged.value.versionId, name: url });
}

async function start(ctx: ServiceContext, request: ServiceRequest, principal: Principal, fields: Fields, workflow: unknown, reference: WorkflowReference): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const run: RunRequest = {
    workflow,
    reference,
    inputs: optionalObject(fields, "inputs") ?? {},
    workspace: callerWorkspace(principal),
    startedBy: startedBy(principal),
    ...definedFields({
      excludedFields: optionalStringList(fields, "excluded_fields"),
      disableSinks: optionalBoolean(fields, "disable_sinks") || undefined,
      idempotencyKey: idempotencyKey(request),
      notificationUrl: optionalString(fields, "notification_url"),
      limitMs: optionalInteger(fields, "limit_ms", 1, MAX_LIMIT_MS),
    }),
  };
  const record = await runs.start(run);
  return { statusCode: 202, headers: { location: `/runs/${record.id}` }, body: runView(record) };
}

export async function listRuns(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const { query } = request;
  const filter: RunFilter = {
    workspace: callerWorkspace(principal),
    ...definedFields({ status: statuses(query["status"]), workflow: query["workflow"] || undefined, from: instant(query, "from"), to: instant(query, "to") }),
  };
  const limit = pageSize(query["limit"]);
  const page = await runsOf(ctx).list(filter, limit, query["cursor"] || undefined);
  return ok({ runs: page.runs.map((r) => runView(r)), ...(page.cursor ? { cursor: page.cursor } : {}) });
}

export async function getRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const record = await visibleRun(runs, runId(request), callerWorkspace(principal));
  return ok(runView(record, record.status === "succeeded" ? await runs.outputs(record) : undefined));
}

/**
 * The inputs an async run was given, from its stored request, with its uploads as presigned GET
 * URLs (browser-inputs.ts): what the debugger page shows beside a run's outputs. An inline run's
 * definition too (its caller sent it); a saved workflow's stays behind its own read rights (a
 * public one's run belongs to the workspace of whoever started it).
 */
export async function runInputs(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = runId(request);
  const record = await visibleRun(runs, id, callerWorkspace(principal));
  const stored = await runs.request(id);
  if (!stored) throw runInputsNotKept(id);
  const body: RunInputs = { id, inputs: await presignUploadedInputs(stored.inputs, ctx.blobs, record.workspace) };
  if (record.workflow.id === undefined && isRecord(stored.workflow)) body.specification = stored.workflow;
  return ok(body);
}

/**
 * The run's events after a sequence number (`after`, or `Last-Event-ID` on a reconnect, whichever
 * is later; default from the first): SSE, or NDJSON with `format=ndjson`. Followed until the
 * run's `run_finished` (or the caller leaves); `follow=false`, or a finished run, gives what the
 * log holds and ends.
 */
export async function runEvents(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = runId(request);
  const format = request.query["format"] ?? "sse";
  if (format !== "sse" && format !== "ndjson") throw invalidRequest(`"format" must be sse or ndjson; got "${format}"`, { field: "format" });
  const follow = flag(request.query, "follow", true);
  const after = Math.max(sequence(request.query["after"]), lastEventId(request.headers) ?? 0);
  const record = await visibleRun(runs, id, callerWorkspace(principal));
  const finite = !follow || isFinished(record.status);
  const signal = request.streamSignal;
  const events = finite ? readEvents(runs, id, after, signal) : runs.events.follow(id, after, { signal });
  const response: StreamResponse =
    format === "ndjson"
      ? ndjsonResponse(events, { signal, requestId: request.requestId })
      : sseResponse(asSse(events), { signal, requestId: request.requestId });
  return finite ? { ...response, finite } : response;
}

export async function cancelRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = runId(request);
  await visibleRun(runs, id, callerWorkspace(principal));
  return recordOr404(id, await runs.cancel(id));
}

export async function retryRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = runId(request);
  await visibleRun(runs, id, callerWorkspace(principal));
  const record = await runs.retry(id);
  if (!record) throw runNotFound(id);
  return { statusCode: 202, headers: { location: `/runs/${id}` }, body: runView(record) };
}

/** The answer to the run's waiting `wait_for_input` step: the body's `answer`, checked against the step's schema. */
export async function answerRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = runId(request);
  const fields = bodyObject(request.body);
  if (!("answer" in fields)) throw invalidRequest(`"answer" is required: the value the waiting step takes (its schema is the run's waitingFor.schema)`, { field: "answer" });
  await visibleRun(runs, id, callerWorkspace(principal));
  return recordOr404(id, await runs.answer(id, fields["answer"]));
}

export async function deleteRun(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = runId(request);
  await visibleRun(runs, id, callerWorkspace(principal));
  if (!(await runs.purge(id))) throw runNotFound(id);
  return ok({ id, deleted: true });
}

/** The record as the routes answer it: without the durable execution's callback id, with the outputs when given. */
export function runView(record: RunRecord, outputs?: Record<string, unknown>[]): RunRecord {
  const view: RunRecord = { ...record };
  if (view.waitingFor) {
    const { callbackId: _internal, ...request } = view.waitingFor;
    view.waitingFor = request;
  }
  if (outputs) view.outputs = outputs;
  delete view.outputsKey;
  return view;
}

/** A run purged between the check and the action is gone: 404 as any other. */
function recordOr404(id: string, record: RunRecord | undefined): JsonResponse {
  if (!record) throw runNotFound(id);
  return ok(runView(record));
}

/** Every event after `after` the log holds now, in pages. */
async function* readEvents(runs: Runs, id: string, after: number, signal: AbortSignal): AsyncGenerator<RunEvent> {
  let last = after;
  while (!signal.aborted) {
    const page = await runs.events.read(id, last, READ_PAGE);
    yield* page;
    if (page.length < READ_PAGE) return;
    last = page.at(-1)!.sequence;
  }
}

async function* asSse(events: AsyncIterable<RunEvent>): AsyncGenerator<StreamEvent> {
  for await (const event of events) yield { id: event.sequence, event: event.type, data: event };
}

function runId(request: ServiceRequest): string {
  return request.pathParameters["run_id"] ?? "";
}

function idempotencyKey(request: ServiceRequest): string | undefined {
  const key = request.headers["idempotency-key"]?.trim();
  if (key === undefined || key === "") return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY) throw invalidRequest(`The Idempotency-Key header must be at most ${MAX_IDEMPOTENCY_KEY} characters`, { header: "Idempotency-Key" });
  return key;
}

function statuses(text: string | undefined): RunStatus[] | undefined {
  if (!text) return undefined;
  const names = text.split(",").map((s) => s.trim());
  const wrong = names.filter((name) => !(RUN_STATUSES as readonly string[]).includes(name));
  if (wrong.length > 0) throw invalidRequest(`"status" takes ${RUN_STATUSES.join(", ")} (comma-separated); got ${wrong.join(", ")}`, { field: "status" });
  return names as RunStatus[];
}

/** `from`/`to`: an ISO 8601 time or epoch milliseconds. */
function instant(query: Readonly<Record<string, string>>, field: string): number | undefined {
  const text = query[field];
  if (!text) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw invalidRequest(`"${field}" must be an ISO 8601 time or epoch milliseconds; got "${text}"`, { field });
  return ms;
}

function pageSize(text: string | undefined): number {
  if (text === undefined || text === "") return DEFAULT_PAGE;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw invalidRequest(`"limit" must be an integer from 1 to ${MAX_PAGE}`, { field: "limit" });
  return n;
}

function sequence(text: string | undefined): number {
  if (text === undefined || text === "") return 0;
  if (!/^\d+$/.test(text)) throw invalidRequest(`"after" must be a sequence number (0 or more); got "${text}"`, { field: "after" });
  return Number(text);
}

function flag(query: Readonly<Record<string, string>>, field: string, fallback: boolean): boolean {
  const text = query[field];
  if (text === undefined || text === "") return fallback;
  if (text === "true" || text === "false") return text === "true";
  throw invalidRequest(`"${field}" must be true or false; got "${text}"`, { field });
}

/** The fields whose values are defined (the records and requests keep absent options absent). */
function definedFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
