/** The errors the stores answer with, one factory each, so that every implementation says the same. */
import { WorkflowError } from "@cvflow/engine";

export function workflowNotFound(workspace: string, url: string): WorkflowError {
  return new WorkflowError("workflow_not_found", `No workflow "${url}" in workspace "${workspace}"`, 404, { workspace, url });
}

export function notInTrash(workspace: string, url: string): WorkflowError {
  return new WorkflowError("workflow_not_found", `No workflow "${url}" in the trash of workspace "${workspace}"`, 404, { workspace, url });
}

export function workflowExists(workspace: string, url: string, why = "already exists"): WorkflowError {
  return new WorkflowError("workflow_exists", `The workflow url "${url}" ${why} in workspace "${workspace}"`, 409, { workspace, url });
}

/** A restore over a url that another workflow took since the removal. */
export function urlTaken(workspace: string, url: string): WorkflowError {
  return workflowExists(workspace, url, "is taken by another workflow; rename or remove that one first");
}

export function staleWorkflow(workspace: string, url: string): WorkflowError {
  return new WorkflowError(
    "precondition_failed",
    `Workflow "${url}" changed since it was read (its ETag no longer matches); read it again and reapply the change`,
    412,
    { workspace, url },
  );
}

export function objectNotFound(bucket: string, key: string): WorkflowError {
  return new WorkflowError("object_not_found", `s3://${bucket}/${key} does not exist`, 404, { bucket, key });
}

/** `bytes` when the size is known before reading; otherwise the read stopped at the cap. */
export function objectTooLarge(bucket: string, key: string, maxBytes: number, bytes?: number): WorkflowError {
  const size = bytes === undefined ? "larger than" : `${bytes} bytes, over`;
  return new WorkflowError("object_too_large", `s3://${bucket}/${key} is ${size} the ${maxBytes}-byte limit`, 413, {
    bucket,
    key,
    maxBytes,
    ...(bytes === undefined ? {} : { bytes }),
  });
}
