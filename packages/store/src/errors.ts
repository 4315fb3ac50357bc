/**
 * Every error the stores throw, S3 and in-memory alike: their codes with their HTTP statuses
 * (STORE_ERRORS, whose keys are StoreErrorCode) and one factory each, so that every implementation
 * says the same. An s3 image over the read's cap is the engine's `image_too_large`, the code every
 * image reader answers with; a specification that is no object is the engine's `invalid_workflow`.
 */
import { errorsOf, WorkflowCompileError, type ErrorStatuses, type WorkflowError } from "@cvflow/engine";

export const STORE_ERRORS = {
  invalid_workspace: 400,
  invalid_workflow_url: 400,
  invalid_workflow_name: 400,
  invalid_api_key: 400,
  invalid_scope: 400,
  invalid_content_type: 400,
  invalid_ttl: 400,
  workflow_not_found: 404,
  object_not_found: 404,
  workflow_exists: 409,
  write_conflict: 409,
  precondition_failed: 412,
} as const satisfies ErrorStatuses;
export type StoreErrorCode = keyof typeof STORE_ERRORS;

const storeError = errorsOf(STORE_ERRORS);

export function invalidWorkspace(workspace: unknown): WorkflowError {
  return storeError("invalid_workspace", `"${String(workspace).slice(0, 80)}" is not a workspace name: lowercase letters, digits, - and _, at most 64`, { workspace });
}

export function invalidWorkflowUrl(url: unknown, pattern: RegExp): WorkflowError {
  return storeError(
    "invalid_workflow_url",
    `"${String(url).slice(0, 80)}" is not a workflow url: lowercase letters, digits, - and _, starting with a letter or digit, at most 64`,
    { url, pattern: pattern.source },
  );
}

export function invalidWorkflowName(maxLength: number): WorkflowError {
  return storeError("invalid_workflow_name", `A workflow name is a non-empty string of at most ${maxLength} characters`);
}

/** A specification that is no JSON object: the engine's invalid_workflow, with its one problem in `details.errors`. */
export function specificationNotAnObject(): WorkflowError {
  return new WorkflowCompileError([{ code: "invalid_definition", message: "A workflow specification is a JSON object", pointer: "" }]);
}

export function invalidApiKey(maxLength: number): WorkflowError {
  return storeError("invalid_api_key", `An API key is a non-empty string of at most ${maxLength} characters`);
}

export function invalidScope(unknown: readonly string[], known: readonly string[]): WorkflowError {
  return storeError("invalid_scope", `Unknown scopes: ${unknown.join(", ")}; known: ${known.join(", ")}`, { scopes: [...unknown] });
}

export function invalidContentType(contentType: unknown): WorkflowError {
  return storeError("invalid_content_type", `"${String(contentType).slice(0, 80)}" is not a media type such as image/jpeg`);
}

export function invalidTtl(ttlSeconds: number, maxSeconds: number): WorkflowError {
  return storeError("invalid_ttl", `A URL's lifetime is a whole number of seconds from 1 to ${maxSeconds}`, { ttl_seconds: ttlSeconds });
}

export function workflowNotFound(workspace: string, url: string): WorkflowError {
  return storeError("workflow_not_found", `No workflow "${url}" in workspace "${workspace}"`, { workspace, url });
}

export function notInTrash(workspace: string, url: string): WorkflowError {
  return storeError("workflow_not_found", `No workflow "${url}" in the trash of workspace "${workspace}"`, { workspace, url });
}

export function workflowExists(workspace: string, url: string, why = "already exists"): WorkflowError {
  return storeError("workflow_exists", `The workflow url "${url}" ${why} in workspace "${workspace}"`, { workspace, url });
}

/** A restore over a url that another workflow took since the removal. */
export function urlTaken(workspace: string, url: string): WorkflowError {
  return workflowExists(workspace, url, "is taken by another workflow; rename or remove that one first");
}

export function writeConflict(workspace: string, url: string, attempts: number): WorkflowError {
  return storeError("write_conflict", `Workflow "${url}" kept changing under ${attempts} attempts to write it; try again`, { workspace, url });
}

export function staleWorkflow(workspace: string, url: string): WorkflowError {
  return storeError("precondition_failed", `Workflow "${url}" changed since it was read (its ETag no longer matches); read it again and reapply the change`, {
    workspace,
    url,
  });
}

export function objectNotFound(bucket: string, key: string): WorkflowError {
  return storeError("object_not_found", `s3://${bucket}/${key} does not exist`, { bucket, key });
}
