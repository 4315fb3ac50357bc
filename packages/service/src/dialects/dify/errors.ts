/**
 * Errors on the Dify routes, in Dify's shape: `{"status", "code", "message"}` (and `params`, the
 * field, for a bad parameter), as Dify's service API answers (api/libs/external_api.py). The
 * route's use cases throw cvflow's WorkflowErrors like every other route; `difyErrorBody` turns
 * the cvflow envelope into Dify's vocabulary: any 400 is `invalid_param` (Dify's answer to a bad
 * value), 401/403/404 are `unauthorized`/`forbidden`/`not_found`, a 5xx `internal_server_error`.
 * DIFY_ERRORS are Dify's own codes, thrown by the dialect (a workflow the app's base URL names
 * that does not exist, the file upload's failures) and passed through as they are.
 */
import { errorsOf, type ErrorStatuses } from "@cvflow/engine";
import type { ErrorBody } from "../../error-body.js";

export const DIFY_ERRORS = {
  app_unavailable: 400,
  no_file_uploaded: 400,
  too_many_files: 400,
  workflow_not_found: 400,
  unsupported_file_type: 415,
  file_too_large: 413,
} as const satisfies ErrorStatuses;

const difyError = errorsOf(DIFY_ERRORS);

export interface DifyErrorBody {
  status: number;
  code: string;
  message: string;
  /** The parameter at fault (Dify's `params`), when one is. */
  params?: string;
}

/** The cvflow codes that keep a name of their own in Dify's vocabulary (the rest go by their status). */
const RENAMED: Readonly<Record<string, string>> = {
  image_too_large: "file_too_large",
  request_too_large: "file_too_large",
};

const BY_STATUS: Readonly<Record<number, string>> = {
  400: "invalid_param",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
};

export function difyErrorBody(body: ErrorBody): DifyErrorBody {
  const { code, message, status, details } = body.error;
  if (code in DIFY_ERRORS) return { status, code, message };
  const renamed = RENAMED[code];
  if (renamed) return { status, code: renamed, message };
  if (status >= 500) return { status, code: status === 500 ? "internal_server_error" : code, message };
  const params = [details["field"], details["pointer"], details["header"]].find((value): value is string => typeof value === "string");
  return { status, code: BY_STATUS[status] ?? code, message, ...(params === undefined ? {} : { params }) };
}

/** Dify's answer when the app behind a key is gone: the workflow the base URL or token names does not exist. */
export function appUnavailable(workspace: string, url: string): Error {
  return difyError("app_unavailable", `No workflow "${url}" in workspace "${workspace}": the app this base URL names is unavailable`);
}

/** Dify's answer for `POST /workflows/{workflow_id}/run` naming a version the workflow does not have. */
export function versionNotFound(url: string, versionId: string): Error {
  return difyError("workflow_not_found", `Workflow "${url}" has no version "${versionId}"`);
}

export function noFileUploaded(): Error {
  return difyError("no_file_uploaded", 'The request has no file: send it as the multipart/form-data field "file"');
}

export function tooManyFiles(count: number): Error {
  return difyError("too_many_files", `The request has ${count} files; one is accepted per upload`);
}

export function unsupportedFileType(type: string): Error {
  return difyError("unsupported_file_type", `Only images are accepted (JPEG, PNG, WebP, GIF, BMP, TIFF); got ${type}`);
}

export function fileTooLarge(size: number, limit: number): Error {
  return difyError("file_too_large", `The file is ${size} bytes; the limit is ${limit}`);
}
