/** The stores in memory, with the contracts of the S3 ones: for the tests of the packages above. */
export { MemoryWorkflowStore } from "./workflow-store.js";
export { MemoryApiKeyStore } from "./api-key-store.js";
export { MemoryBlobStore, MEMORY_BLOB_ENDPOINT } from "./blob-store.js";
