/**
 * Where workflows live in the bucket.
 *
 *   workspaces/{ws}/workflows/{url}.json              the current workflow and its version index
 *                                                     ({workflow, versions}); the object's ETag is
 *                                                     the workflow's ETag
 *   workspaces/{ws}/versions/{url}/{versionId}.json   every saved version (the StoredWorkflow as
 *                                                     it was), written once, never changed
 *   trash/{ws}/{url}/{trashId}.json                   a removed workflow ({workflow, versions,
 *                                                     deletedAt}); one per removal
 *
 * The version index sits in the current document so that it changes in the same conditional
 * write as the workflow: it lists exactly the versions that were committed, newest first, and
 * one read answers `versions`.
 *
 * The trash is a top-level prefix because S3 lifecycle rules filter by a literal prefix (no
 * wildcard for the workspace): the deployment expires `trash/` after TRASH_RETENTION_DAYS.
 * Versions are not in the trash; those of a workflow whose trash entry expired stay behind.
 */
export const TRASH_PREFIX = "trash/";
export const TRASH_RETENTION_DAYS = 30;

export const workflowKeys = {
  current: (workspace: string, url: string) => `workspaces/${workspace}/workflows/${url}.json`,
  allCurrent: (workspace: string) => `workspaces/${workspace}/workflows/`,
  version: (workspace: string, url: string, versionId: string) => `workspaces/${workspace}/versions/${url}/${versionId}.json`,
  trashed: (workspace: string, url: string, trashId: string) => `${TRASH_PREFIX}${workspace}/${url}/${trashId}.json`,
  /** With a url: that workflow's removals; `{url}/` so that `a` does not also list `ab`. */
  allTrashed: (workspace: string, url?: string) => `${TRASH_PREFIX}${workspace}/${url === undefined ? "" : `${url}/`}`,
};
