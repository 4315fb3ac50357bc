/** Which batch job states are final (docs/batch.md, "How a job ends"): the service's Finalize and the page's polling agree on them. */
import type { BatchJobState } from "./batch-bodies.js";

export const FINISHED_BATCH_STATES: readonly BatchJobState[] = ["succeeded", "completed_with_failures", "failed", "aborted"];

export function isBatchJobFinished(state: BatchJobState): boolean {
  return FINISHED_BATCH_STATES.includes(state);
}
