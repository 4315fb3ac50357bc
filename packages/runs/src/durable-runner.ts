/**
 * What starts, wakes and stops a run's durable execution: Lambda durable functions on AWS
 * (LambdaDurableRunner), the SDK's local runner inside `npm start` (LocalDurableRunner in
 * @cvflow/local). RunsService only talks to this interface.
 */
import type { RunRecord } from "./run-record.js";

/** What a run's durable execution is started with: which run, and which attempt of it. */
export interface DurableRunPayload {
  runId: string;
  attempt: number;
}

export interface DurableRunner {
  /**
   * Starts the execution `executionName` (a run's first attempt is named after the run id, a
   * retry `${id}-a${n}`): idempotent, a second start of the same name starts nothing. Resolves
   * once the execution is accepted, not when it ends.
   */
  start(executionName: string, payload: DurableRunPayload): Promise<void>;
  /** Completes the callback a waiting execution waits on (an answer to `wait_for_input`). */
  sendCallback(callbackId: string, result: unknown): Promise<void>;
  /** Stops the execution (a cancelled run that waits, so that nothing waits on forever). */
  stop(executionName: string): Promise<void>;
}

/**
 * The attempt a run is on: the highest its record lists, or the next one when a retry has set the
 * record queued and its attempt has not started (nor appears in the record) yet; 1 for a new run.
 */
export function currentAttempt(record: Pick<RunRecord, "status" | "attempts">): number {
  const highest = record.attempts.reduce((max, a) => Math.max(max, a.number), 0);
  if (highest === 0) return 1;
  return record.status === "queued" && record.attempts.every((a) => a.finishedAt !== undefined) ? highest + 1 : highest;
}

/** The durable execution of a run's attempt: the run id for the first, `${id}-a${n}` for a retry. */
export function executionName(runId: string, attempt: number): string {
  return attempt <= 1 ? runId : `${runId}-a${attempt}`;
}
