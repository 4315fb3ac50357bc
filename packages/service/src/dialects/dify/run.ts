/**
 * `POST /workflows/run` (and `POST /workflows/{workflow_id}/run`, a version of the workflow: one
 * of cvflow's version ids, as `GET /{workspace}/workflows/{workflow_id}/versions` lists them) and
 * `POST /workflows/tasks/{task_id}/stop`.
 *
 * Blocking: a sync run (Runs.runSync) within the request's deadline. Its answer is a finite
 * stream whose headers go out as soon as the run has its record: `X-Cvflow-Task-Id` (and
 * `X-Cvflow-Run-Id`) reach the caller while the run still runs, so another thread of it can stop
 * the run; the body, Dify's blocking JSON, follows when the run ends. Where the deployment cannot
 * stream (a Function URL in BUFFERED mode) the answer is sent whole at the end, and a running run
 * is found by `GET /workflows/logs?status=running` (its entries carry `task_id`).
 *
 * Streaming: an async run (Runs.start), whose events the response follows (events.ts). The run
 * does not depend on the connection: a reader that leaves loses nothing and resumes with
 * `GET /workflow/{workflow_run_id}/events` (read.ts).
 *
 * Stop ends the run `stopped` (Runs.cancel: its steps stop within a second), blocking or
 * streaming; only the user who started it can stop it.
 */
import { runNotFound, type RunEvent, type RunRecord, type RunRequest, type Runs } from "@cvflow/runs";
import { RUN_ID_HEADER } from "@cvflow/wire";
import { startedBy, type Principal } from "../../auth.js";
import { bodyObject, optionalObject, optionalString, requiredString } from "../../body.js";
import type { ServiceContext } from "../../context.js";
import { errorResponse, invalidRequest, streamingUnavailable } from "../../errors.js";
import { ok, type ServiceRequest, type ServiceResponse, type StreamResponse } from "../../http.js";
import type { SavedWorkflow } from "../../saved-workflows.js";
import { difyApp, type DifyApp } from "./app.js";
import { difyErrorBody, versionNotFound } from "./errors.js";
import { cvflowInputs } from "./inputs.js";
import { difyEventStream, difyRuns } from "./runs.js";
import { blockingBody, difyTaskId, runIdOfTask, TASK_ID_HEADER } from "./views.js";

export async function runWorkflow(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const app = await difyApp(ctx, request, principal);
  const runs = difyRuns(ctx);
  const fields = bodyObject(request.body);
  const user = requiredString(fields, "user");
  const inputs = optionalObject(fields, "inputs");
  if (!inputs) throw invalidRequest('"inputs" is required: an object of the workflow\'s input values', { field: "inputs" });
  const mode = optionalString(fields, "response_mode") ?? "blocking";
  if (mode !== "blocking" && mode !== "streaming") throw invalidRequest(`"response_mode" must be "blocking" or "streaming"; got ${JSON.stringify(mode)}`, { field: "response_mode" });
  // Refused before the run starts: a run nobody follows is not what was asked.
  if (mode === "streaming" && request.streamingUnavailable !== undefined) throw streamingUnavailable(request.streamingUnavailable);
  const saved = await versionToRun(ctx, app, request.pathParameters["version_id"]);
  const runRequest: RunRequest = {
    // A sync run takes the plan compiled already; an async one stores the definition for its durable execution.
    workflow: mode === "streaming" ? saved.tagged.value.specification : saved.plan(),
    reference: { workspace: app.workspace, id: app.url, versionId: saved.tagged.value.versionId, name: app.url },
    inputs: await cvflowInputs(ctx.blobs, app, user, inputs, fields["files"], request.signal),
    workspace: app.caller,
    startedBy: { ...startedBy(principal), user },
    ...(request.headers["idempotency-key"] ? { idempotencyKey: request.headers["idempotency-key"] } : {}),
  };
  if (mode === "streaming") return difyEventStream(runs, await runs.start(runRequest), 0, request);
  return blocking(runs, runRequest, request);
}

/** The current version, or (Dify's `POST /workflows/{workflow_id}/run`) the one named: one of cvflow's version ids. */
async function versionToRun(ctx: ServiceContext, app: DifyApp, versionId: string | undefined): Promise<SavedWorkflow> {
  if (versionId === undefined || versionId === app.saved.tagged.value.versionId) return app.saved;
  const older = await ctx.saved.version(app.workspace, app.url, versionId);
  if (!older) throw versionNotFound(app.url, versionId);
  return older;
}

async function blocking(runs: Runs, runRequest: RunRequest, request: ServiceRequest): Promise<StreamResponse> {
  let announce: (event: RunEvent) => void = () => {};
  const firstEvent = new Promise<RunEvent>((resolve) => (announce = resolve));
  const finished = runs.runSync(runRequest, request.signal, (event) => announce(event));
  // Awaited by the body; a caller gone before it is read must not leave the rejection unhandled.
  finished.catch(() => {});
  // A request the run refuses (its inputs, its workflow) fails here, before any header is sent.
  const first = await Promise.race([firstEvent.then((event) => event.runId), finished.then((record) => record.id)]);
  const record = (await runs.get(first)) ?? (await finished);
  async function* body(): AsyncGenerator<string> {
    try {
      const done = await finished;
      yield JSON.stringify(blockingBody(done, await runs.outputs(done)));
    } catch (error) {
      // The status went out with the headers; the body says what failed, as Dify's error would.
      yield JSON.stringify(difyErrorBody(errorResponse(error, request.requestId).body));
    }
  }
  return {
    statusCode: 200,
    headers: { "content-type": "application/json; charset=utf-8", [TASK_ID_HEADER]: difyTaskId(record), [RUN_ID_HEADER]: record.id },
    stream: body(),
    finite: true,
  };
}

export async function stopTask(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const app = await difyApp(ctx, request, principal);
  const runs = difyRuns(ctx);
  const user = requiredString(bodyObject(request.body), "user");
  const taskId = request.pathParameters["task_id"] ?? "";
  const record = await taskRun(runs, app, user, taskId);
  await runs.cancel(record.id);
  return ok({ result: "success" });
}

/** The run of a task id, when it is this app's and `user`'s; a 404 otherwise (whether it exists elsewhere is not told). */
async function taskRun(runs: Runs, app: DifyApp, user: string, taskId: string): Promise<RunRecord> {
  const ids = runIdOfTask(taskId);
  const record = ids ? await runs.get(ids.runId) : undefined;
  if (!record || record.taskId !== ids?.taskId || !ownedBy(record, app, user)) throw runNotFound(taskId);
  return record;
}

/** Whether the run is one of this app's (the workflow, run with a credential of the caller's workspace) and, when `user` is given, that user's. */
export function ownedBy(record: RunRecord, app: DifyApp, user: string | undefined): boolean {
  return (
    record.workspace === app.caller &&
    record.workflow.workspace === app.workspace &&
    record.workflow.id === app.url &&
    (user === undefined || record.startedBy.user === user)
  );
}
