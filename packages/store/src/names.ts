/** The names that become parts of S3 keys, checked before they do. */
import { WorkflowError } from "@cvflow/engine";

/** A workflow's url: its name in routes and in keys. */
export const WORKFLOW_URL = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Workspaces are named like workflows; above all, no `/`, which would reach into another's keys. */
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_WORKFLOW_NAME = 200;

export function checkWorkspace(workspace: string): void {
  if (typeof workspace !== "string" || !WORKSPACE_NAME.test(workspace)) {
    throw new WorkflowError("invalid_workspace", `"${String(workspace).slice(0, 80)}" is not a workspace name: lowercase letters, digits, - and _, at most 64`, 400, {
      workspace,
    });
  }
}

export function checkWorkflowUrl(url: string): void {
  if (typeof url !== "string" || !WORKFLOW_URL.test(url)) {
    throw new WorkflowError(
      "invalid_workflow_url",
      `"${String(url).slice(0, 80)}" is not a workflow url: lowercase letters, digits, - and _, starting with a letter or digit, at most 64`,
      400,
      { url, pattern: WORKFLOW_URL.source },
    );
  }
}

export function checkWorkflowName(name: string): void {
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_WORKFLOW_NAME) {
    throw new WorkflowError("invalid_workflow_name", `A workflow name is a non-empty string of at most ${MAX_WORKFLOW_NAME} characters`, 400, {});
  }
}

export function checkSpecification(specification: unknown): void {
  if (typeof specification !== "object" || specification === null || Array.isArray(specification)) {
    throw new WorkflowError("invalid_workflow", "A workflow specification is a JSON object", 400, {});
  }
}
