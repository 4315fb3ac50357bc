/** The Lambda entry point of the state machine's Finalize step: its configuration from the environment (batch/finalize.ts), read once per process at init. */
import { batchConfig } from "./batch/config.js";
import { createFinalizeHandler } from "./batch/finalize.js";

export const handler = await createFinalizeHandler(batchConfig());
