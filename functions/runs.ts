/**
 * The Lambda entry point of the durable function that executes async runs (one durable execution
 * per run attempt, payload {runId, attempt}): the function made once per process, at init, from
 * the configuration its environment gives (runs/handler.ts; the local stack makes the very same
 * handler with its own configuration and runs it on the SDK's local runner).
 */
import { runsConfig } from "./runs/config.js";
import { createRunsHandler } from "./runs/handler.js";

export const handler = await createRunsHandler(runsConfig());
