/**
 * Every error leaves as `{"error": {"code", "message", "status", "details"}}` with the fields
 * Roboflow's clients read beside it (error-body.ts). Known failures are
 * WorkflowErrors (the engine's, the store's, ours); anything else is a bug or an outage and
 * becomes a 500 `internal_error` that names the request id and nothing of the cause.
 */
import { WorkflowError } from "@cvflow/engine";
import { errorBody, type ErrorBody } from "./error-body.js";
import type { ServiceResponse } from "./http.js";

/** A WorkflowError that also sets response headers (e.g. `Allow` on a 405). */
export class ServiceError extends WorkflowError {
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, status: number, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(code, message, status, details);
    this.name = "ServiceError";
    this.headers = headers;
  }
}

export function badRequest(code: string, message: string, details: Record<string, unknown> = {}): WorkflowError {
  return new WorkflowError(code, message, 400, details);
}

export function unauthorized(message = "An API key is required: send it as `Authorization: Bearer <key>`, the `api_key` query parameter or `api_key` in the body"): WorkflowError {
  return new WorkflowError("unauthorized", message, 401);
}

export function forbidden(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return new WorkflowError("forbidden", message, 403, details);
}

export function workflowNotFound(workspace: string, url: string): WorkflowError {
  return new WorkflowError("workflow_not_found", `No workflow "${url}" in workspace "${workspace}"`, 404, { workspace, url });
}

/** The response for any thrown value; 5xx answers carry the request id to quote in a report. */
export function errorResponse(error: unknown, requestId: string): ServiceResponse & { body: ErrorBody } {
  const known = error instanceof WorkflowError ? error : undefined;
  const status = known?.status ?? 500;
  const details = { ...(known?.details ?? {}), ...(status >= 500 ? { request_id: requestId } : {}) };
  const message = known?.message ?? `An unexpected error occurred (request id ${requestId})`;
  return {
    statusCode: status,
    headers: error instanceof ServiceError ? error.headers : {},
    body: errorBody(known?.code ?? "internal_error", message, status, details),
  };
}
