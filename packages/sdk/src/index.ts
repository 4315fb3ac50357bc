/**
 * The TypeScript client of the cvflow HTTP API (docs/api.md, docs/runs.md), for Node and browsers
 * (the debugger page uses it). No dependencies beyond fetch, the dependency-free @cvflow/wire and
 * eventsource-parser (the runs' event streams); node:fs is loaded only to read an image file path.
 */
export { CvflowClient, IDEMPOTENCY_KEY_HEADER, INLINE_IMAGES_LIMIT } from "./client.js";
export type { StreamEventsOptions } from "./event-stream.js";
export { CLIENT_ERROR_CODES, CvflowError, invalidArgument, type ClientErrorCode, type CvflowErrorJSON } from "./errors.js";
export type * from "./types.js";
