/** The TypeScript client of the cvflow HTTP API (docs/api.md). No dependencies beyond Node's fetch and the dependency-free @cvflow/wire. */
export { CvflowClient, INLINE_IMAGES_LIMIT } from "./client.js";
export { CLIENT_ERROR_CODES, CvflowError, invalidArgument, type ClientErrorCode, type CvflowErrorJSON } from "./errors.js";
export type * from "./types.js";
