/** One sentence for a failed call, as the page shows it: the service's code and message when it sent them. */
import { CvflowError } from "@cvflow/sdk";

export function describeError(error: unknown): string {
  if (error instanceof CvflowError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
