/** The Lambda entry point of the state machine's Prepare step: its configuration from the environment (batch/prepare.ts). */
import { batchConfig } from "./batch/config.js";
import { createPrepareHandler } from "./batch/prepare.js";

export const handler = await createPrepareHandler(batchConfig());
