/** The Lambda entry point of the Distributed Map's worker: its configuration from the environment (batch/worker.ts), read once per process at init. */
import { batchConfig } from "./batch/config.js";
import { createWorkerHandler } from "./batch/worker.js";

export const handler = await createWorkerHandler(batchConfig());
