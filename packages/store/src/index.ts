export * from "./types.js";
export * from "./s3-client.js";
export { S3WorkflowStore } from "./workflow-store.js";
export { S3ApiKeyStore, API_KEY_PREFIX, API_KEYS_PREFIX } from "./api-key-store.js";
export { S3BlobStore, UPLOADS_PREFIX } from "./blob-store.js";
export { TRASH_PREFIX, TRASH_RETENTION_DAYS, workflowKeys } from "./workflow-layout.js";
export { WORKFLOW_URL, WORKSPACE_NAME } from "./names.js";
export { JsonObjects, ConditionFailed, isNotFound, statusOf, type WriteCondition } from "./s3-objects.js";
export { sortableId, SORTABLE_ID } from "./ids.js";
