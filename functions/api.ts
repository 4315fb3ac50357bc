/**
 * The HTTP API's Lambda entry point (Function URL, payload v2): the function made once per
 * process, at init, from the configuration its environment gives (http/api-handler.ts; the local
 * stack makes the very same handler with its own configuration).
 */
import { apiConfig } from "./http/config.js";
import { createApiHandler } from "./http/api-handler.js";

export const handler = await createApiHandler(apiConfig());
