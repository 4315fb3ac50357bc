/**
 * Every error leaves as `{"error": {"code", "message", "status", "details"}}` with the fields
 * Roboflow's clients read beside it (error-body.ts). Known failures are
 * WorkflowErrors (the engine's, the store's, ours); anything else is a bug or an outage and
 * becomes a 500 `internal_error` that names the request id and nothing of the cause. The
 * service's own codes are SERVICE_ERRORS (ServiceErrorCode), each thrown by one factory here;
 * `internal_error` is the engine's, `batch_not_configured` the batch package's.
 */
import { errorsOf, WorkflowError, type EngineErrorCode, type ErrorStatuses } from "@cvflow/engine";
import { errorBody, type ErrorBody } from "./error-body.js";
import type { JsonResponse } from "./http.js";

/** A WorkflowError that also sets response headers (e.g. `Allow` on a 405). */
export class ServiceError extends WorkflowError {
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, status: number, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(code, message, status, details);
    this.name = "ServiceError";
    this.headers = headers;
  }
}

export const SERVICE_ERRORS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_config: 400,
  reserved_workspace: 400,
  unauthorized: 401,
  forbidden: 403,
  route_not_found: 404,
  workflow_version_not_found: 404,
  pipeline_not_found: 404,
  method_not_allowed: 405,
  pipeline_not_running: 409,
  request_too_large: 413,
  response_too_large: 413,
  pipelines_not_configured: 501,
  tokens_not_configured: 501,
  streaming_unavailable: 501,
  ui_not_built: 503,
} as const satisfies ErrorStatuses;
export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

const serviceError = errorsOf(SERVICE_ERRORS);

/** A request the API cannot take as sent; `details.field` (or `header`, `pointer`) says where. */
export function invalidRequest(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return serviceError("invalid_request", message, details);
}

export function invalidJson(why: string): WorkflowError {
  return serviceError("invalid_json", `The request body is not valid JSON: ${why}`);
}

/** A management call's `config` that is no workflow definition. */
export function invalidConfig(message: string): WorkflowError {
  return serviceError("invalid_config", message, { field: "config" });
}

export function reservedWorkspace(workspace: string, reserved: readonly string[]): WorkflowError {
  return serviceError("reserved_workspace", `"${workspace}" cannot name a workspace: it is the first segment of fixed routes. Reserved: ${reserved.join(", ")}`, {
    workspace,
    reserved,
  });
}

export function unauthorized(message = "An API key is required: send it as `Authorization: Bearer <key>`, the `api_key` query parameter or `api_key` in the body"): WorkflowError {
  return serviceError("unauthorized", message);
}

export function forbidden(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return serviceError("forbidden", message, details);
}

export function routeNotFound(method: string, path: string): WorkflowError {
  return serviceError("route_not_found", `No route for ${method} ${path}; the routes are listed at GET /openapi.json`, { method, path });
}

/** A 405 naming the methods the path takes, in its `Allow` header too. */
export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): ServiceError {
  return new ServiceError("method_not_allowed", `${method} is not allowed on ${path}; use ${allowed.join(" or ")}`, SERVICE_ERRORS.method_not_allowed, { method, path, allowed }, {
    allow: allowed.join(", "),
  });
}

export function workflowVersionNotFound(workspace: string, url: string, versionId: string): WorkflowError {
  return serviceError("workflow_version_not_found", `Workflow "${url}" has no version "${versionId}"`, { workspace, url, workflow_version_id: versionId });
}

/**
 * A body over the request limit: the 413 says how to send large images instead. `size` when
 * known (the local gateway stops reading at the limit, as a Function URL does).
 */
export function requestTooLarge(size: number | undefined, maxBytes: number): WorkflowError {
  return serviceError(
    "request_too_large",
    `The request body is ${size === undefined ? "over" : `${size} bytes; the limit is`} ${maxBytes}${size === undefined ? " bytes" : ""}. Upload large images with POST /uploads, PUT them to the upload_url it returns, and pass its "image" ({"type": "s3", ...}) as the input.`,
    { ...(size === undefined ? {} : { size_bytes: size }), limit_bytes: maxBytes, upload: { method: "POST", path: "/uploads" } },
  );
}

/** A response over the payload limit that was not (or could not be) offloaded; fit-response.ts writes the message and details. */
export function responseTooLarge(message: string, details: Record<string, unknown>): WorkflowError {
  return serviceError("response_too_large", message, details);
}

/** A video pipeline route on a deployment that runs none (Lambda: a pipeline outlives any invocation). */
export function pipelinesNotConfigured(path: string): WorkflowError {
  return serviceError(
    "pipelines_not_configured",
    "Video inference pipelines (/inference_pipelines/…) need a long-lived server: run them on the local stack (`npm start`, or `cvflow process-video`), or send a video file as a video job on this deployment (docs/video.md)",
    { path, docs: "docs/video.md" },
  );
}

/** No pipeline by this id in the caller's workspace (terminated ones are forgotten). */
export function pipelineNotFound(pipelineId: string): WorkflowError {
  return serviceError("pipeline_not_found", `No inference pipeline ${JSON.stringify(pipelineId)} in this workspace: it was terminated, or never started`, { pipeline_id: pipelineId });
}

/** Pause or resume of a pipeline that has ended (its source finished, it failed, or it was told to stop). */
export function pipelineNotRunning(pipelineId: string, state: string): WorkflowError {
  return serviceError("pipeline_not_running", `Inference pipeline ${JSON.stringify(pipelineId)} has ended (${state}): it can only be consumed, read or terminated`, { pipeline_id: pipelineId, state });
}

export function tokensNotConfigured(): WorkflowError {
  return serviceError("tokens_not_configured", "Workflow tokens are not enabled on this server (no CVFLOW_TOKEN_SECRET)");
}

/** A streaming route on a deployment that can only send whole responses; `why` says which mode it runs in and what to do. */
export function streamingUnavailable(why: string): WorkflowError {
  return serviceError("streaming_unavailable", why);
}

/** The debugger page asked for where its files were not built (or not given to this server). */
export function uiNotBuilt(): WorkflowError {
  return serviceError("ui_not_built", "The debugger page is not built on this server: run `npm run build:ui` (npm start and the image build run it when the page's sources changed)");
}

/** The response for any thrown value; 5xx answers carry the request id to quote in a report. */
export function errorResponse(error: unknown, requestId: string): JsonResponse & { body: ErrorBody } {
  const known = error instanceof WorkflowError ? error : undefined;
  const status = known?.status ?? 500;
  const details = { ...(known?.details ?? {}), ...(status >= 500 ? { request_id: requestId } : {}) };
  const message = known?.message ?? `An unexpected error occurred (request id ${requestId})`;
  return {
    statusCode: status,
    headers: error instanceof ServiceError ? error.headers : {},
    body: errorBody(known?.code ?? ("internal_error" satisfies EngineErrorCode), message, status, details),
  };
}
