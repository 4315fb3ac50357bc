/** The core blocks of the Workflows grammar, the query language they share, and the engine wired with them. */
export { coreBlocks } from "./core-blocks.js";
export { BLOCKS_ERRORS, type BlocksErrorCode } from "./errors.js";
export * as uql from "./uql/index.js";
export { createWorkflowEngine, type CvflowEngineOptions } from "./runtime.js";
export { endpointsFromEnv, PROVIDERS, type Egress, type Provider } from "./egress/egress.js";
