/**
 * What starts, wakes and stops a run's durable execution: Lambda durable functions on AWS
 * (LambdaDurableRunner), the SDK's local runner inside `npm start` (LocalDurableRunner in
 * @cvflow/local). RunsService only talks to this interface.
 */

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

/** The durable execution of a run's attempt: the run id for the first, `${id}-a${n}` for a retry. */
export function executionName(runId: string, attempt: number): string {
  return attempt <= 1 ? runId : `${runId}-a${attempt}`;
}
