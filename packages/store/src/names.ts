/** The names that become parts of S3 keys, checked before they do. */
import { invalidWorkflowName, invalidWorkflowUrl, invalidWorkspace, specificationNotAnObject } from "./errors.js";

/** A workflow's url: its name in routes and in keys. */
export const WORKFLOW_URL = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Workspaces are named like workflows; above all, no `/`, which would reach into another's keys. */
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_WORKFLOW_NAME = 200;

export function checkWorkspace(workspace: string): void {
  if (typeof workspace !== "string" || !WORKSPACE_NAME.test(workspace)) {
    throw invalidWorkspace(workspace);
  }
}

export function checkWorkflowUrl(url: string): void {
  if (typeof url !== "string" || !WORKFLOW_URL.test(url)) {
    throw invalidWorkflowUrl(url, WORKFLOW_URL);
  }
}

export function checkWorkflowName(name: string): void {
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_WORKFLOW_NAME) {
    throw invalidWorkflowName(MAX_WORKFLOW_NAME);
  }
}

export function checkSpecification(specification: unknown): void {
  if (typeof specification !== "object" || specification === null || Array.isArray(specification)) {
    throw specificationNotAnObject();
  }
}
