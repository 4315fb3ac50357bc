/**
 * The TypeScript client of the cvflow HTTP API (docs/api.md, docs/runs.md). No dependencies beyond
 * Node's fetch, the dependency-free @cvflow/wire and eventsource-parser (the runs' event streams).
 */
export { CvflowClient, IDEMPOTENCY_KEY_HEADER, INLINE_IMAGES_LIMIT } from "./client.js";
export type { StreamEventsOptions } from "./event-stream.js";
export { CLIENT_ERROR_CODES, CvflowError, invalidArgument, type ClientErrorCode, type CvflowErrorJSON } from "./errors.js";
export type * from "./types.js";
