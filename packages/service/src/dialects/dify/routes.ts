/**
 * Dify's workflow service API (docs/runs.md, "Dify workflow API"), below each of the dialect's
 * base paths (app.ts): the same handlers, the workflow named by the path or by a workflow token.
 * Errors on these routes are Dify's `{status, code, message}` (errors.ts).
 */
import type { RouteAccess } from "../../http.js";
import type { OpenApiOperation } from "../../openapi-types.js";
import type { RouteSpec } from "../../route-spec.js";
import type { ServiceContext } from "../../context.js";
import { difyErrorBody } from "./errors.js";
import { uploadFile } from "./files.js";
import { DIFY_BASES, difyApp } from "./app.js";
import { appInfo, appParameters } from "./app-info.js";
import { getRun, listLogs, runEvents } from "./read.js";
import { runWorkflow, stopTask } from "./run.js";

const access: RouteAccess = { kind: "workflow", scope: "workflow:run", token: true };
const object = { type: "object", additionalProperties: true };
const BASE_NOTE =
  "Dify's workflow service API. Base URL: `/{workspace}/workflows/{workflow_id}/dify/v1` with an API key (workflow:run) or a workflow token, or `/v1` with a workflow token. Errors are Dify's `{status, code, message}`.";

export function difyRoutes(ctx: ServiceContext): RouteSpec[] {
  return DIFY_BASES.flatMap((base) => {
    const suffix = base === "/v1" ? "ByToken" : "";
    const doc = (operationId: string, summary: string, description: string, responses: OpenApiOperation["responses"], extra: Partial<OpenApiOperation> = {}): OpenApiOperation => ({
      operationId: `${operationId}${suffix}`,
      summary,
      description: `${description} ${BASE_NOTE}`,
      tags: ["dify"],
      responses,
      ...extra,
    });
    const routes: RouteSpec[] = [
      {
        method: "POST",
        path: `${base}/workflows/run`,
        access,
        doc: doc(
          "difyRunWorkflow",
          "Run the workflow (Dify): blocking or streaming",
          "Body `{inputs, response_mode: blocking|streaming, user, files?}`; image inputs as Dify files (`local_file` with an `upload_file_id`, or `remote_url`). Blocking answers `{task_id, workflow_run_id, data}` and sends `X-Cvflow-Task-Id` before the body where the deployment streams; streaming answers Server-Sent Events (`workflow_started`, `node_started`, `node_finished`, `workflow_finished`, `event: ping` every 10 s).",
          { 200: { description: "The run (blocking) or its events (text/event-stream).", schema: object } },
          { requestBody: { schema: object, required: true } },
        ),
        handle: (request, principal) => runWorkflow(ctx, request, principal),
      },
      {
        method: "POST",
        path: `${base}/workflows/{version_id}/run`,
        access,
        doc: doc(
          "difyRunWorkflowVersion",
          "Run a version of the workflow (Dify's Execute Specific Workflow)",
          "As `POST /workflows/run`, with the version: one of the workflow's version ids (`GET /{workspace}/workflows/{workflow_id}/versions`). An unknown one is 400 `workflow_not_found`.",
          { 200: { description: "The run (blocking) or its events (text/event-stream).", schema: object } },
          { requestBody: { schema: object, required: true } },
        ),
        handle: (request, principal) => runWorkflow(ctx, request, principal),
      },
      {
        method: "GET",
        path: `${base}/workflows/run/{workflow_run_id}`,
        access,
        doc: doc("difyGetRun", "A run of the workflow (Dify)", "The run's status, outputs, error and times (Unix seconds).", { 200: { description: "The run.", schema: object } }),
        handle: (request, principal) => getRun(ctx, request, principal),
      },
      {
        method: "POST",
        path: `${base}/workflows/tasks/{task_id}/stop`,
        access,
        doc: doc(
          "difyStopTask",
          "Stop a run (Dify), blocking or streaming",
          "Body `{user}`: the user who started the run. The run ends `stopped`; its steps stop within a second.",
          { 200: { description: '`{"result": "success"}`.', schema: object } },
          { requestBody: { schema: object, required: true } },
        ),
        handle: (request, principal) => stopTask(ctx, request, principal),
      },
      {
        method: "GET",
        path: `${base}/workflows/logs`,
        access,
        doc: doc("difyWorkflowLogs", "The workflow's runs, newest first (Dify)", "Query: keyword, status, created_at__before, created_at__after, created_by_end_user_session_id (or user), page, limit.", {
          200: { description: "`{page, limit, total, has_more, data}`.", schema: object },
        }),
        handle: (request, principal) => listLogs(ctx, request, principal),
      },
      {
        method: "GET",
        path: `${base}/workflow/{task_id}/events`,
        access,
        doc: doc(
          "difyRunEvents",
          "A run's events, resumable (Dify)",
          "`task_id` is the workflow_run_id; query `user` (required). Replays the run's chunks from its start, or after `Last-Event-ID` / `after` (each chunk's SSE `id:`), then follows it until workflow_finished.",
          { 200: { description: "text/event-stream.", schema: object } },
        ),
        handle: (request, principal) => runEvents(ctx, request, principal),
      },
      {
        method: "POST",
        path: `${base}/files/upload`,
        access,
        doc: doc(
          "difyUploadFile",
          "Upload an image for a run (Dify)",
          "multipart/form-data with `file` and `user`; the file can then be given as `{type: \"image\", transfer_method: \"local_file\", upload_file_id}` by that user only.",
          { 201: { description: "`{id, name, size, extension, mime_type, created_by, created_at}`.", schema: object } },
        ),
        handle: async (request, principal) => uploadFile(ctx, request, await difyApp(ctx, request, principal)),
      },
      {
        method: "GET",
        path: `${base}/info`,
        access,
        doc: doc("difyAppInfo", "The app's name (Dify)", "`{name, description, tags, mode: \"workflow\", author_name}`: the workflow's name, its workspace as the author.", {
          200: { description: "The app.", schema: object },
        }),
        handle: (request, principal) => appInfo(ctx, request, principal),
      },
      {
        method: "GET",
        path: `${base}/parameters`,
        access,
        doc: doc(
          "difyAppParameters",
          "The form of the workflow's inputs (Dify)",
          "`user_input_form`: an image input is a `file` control for images (`file-list` for a batch), a number parameter `number`, another parameter `text-input`; required without a default. `file_upload`, `system_parameters` (sizes in MB).",
          { 200: { description: "The parameters.", schema: object } },
        ),
        handle: (request, principal) => appParameters(ctx, request, principal),
      },
    ];
    return routes.map((route) => ({ ...route, errorBody: difyErrorBody }));
  });
}
