/**
 * What to do about the errors a first run meets: a server that does not answer (start the local
 * one) and a 401 (which option or variable carries the key). The error keeps its code and status;
 * its message gains the hint.
 */
import { CvflowError } from "@cvflow/sdk";
import type { GlobalOptions } from "./context.js";

export function withHint(error: CvflowError, options: Partial<GlobalOptions>): CvflowError {
  const hint = hintFor(error, options);
  return hint ? new CvflowError(error.code, `${error.message}. ${hint}`, error.status, error.details, { cause: error }) : error;
}

function hintFor(error: CvflowError, { url, apiKey, token }: Partial<GlobalOptions>): string | undefined {
  if (error.code === "network_error") {
    return `Is a cvflow server running at ${url}? Start the local one with \`npm start\` (in the cvflow repository) or \`cvflow serve\`, or point --url (CVFLOW_URL) at yours`;
  }
  if (error.status !== 401) return undefined;
  if (token) return "The workflow token came from --token (CVFLOW_TOKEN)";
  if (apiKey) return "The key came from --api-key (CVFLOW_API_KEY)";
  return "No API key was given: pass --api-key <key> or set CVFLOW_API_KEY (`npm start` prints the local stack's key; `npm run api-key` makes one)";
}
