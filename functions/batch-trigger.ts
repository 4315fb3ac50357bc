/** The Lambda entry point of the S3 trigger: its configuration from the environment (batch/trigger.ts). */
import { batchConfig } from "./batch/config.js";
import { createTriggerHandler } from "./batch/trigger.js";

export const handler = createTriggerHandler(batchConfig());
