/**
 * Step checkpoints: a run that is started again (resumed after a wait, retried after a failure,
 * recovered after a restart) takes the outputs its finished steps produced before instead of
 * running them again. The engine only asks and tells; where outputs are kept (S3, in @cvflow/runs)
 * and how runtime values become bytes is the caller's.
 */

/** How a step's attempt went: what a reused step reports again, unchanged. */
export interface StepTiming {
  /** Epoch ms when the step started. */
  startedAt: number;
  durationMs: number;
  /** Elements run, and elements skipped by flow control. */
  elements: number;
  skipped: number;
}

/** A step's checkpointed output (its records nested by level, SKIP where not run) and the timing of the attempt that made it. */
export interface RestoredStep {
  output: unknown;
  timing: StepTiming;
}

export interface StepCheckpoints {
  /**
   * The step's checkpointed output; undefined to run the step. Asked only for a step whose
   * dependencies were all restored too: a step downstream of one that ran again runs again.
   * A rejection fails the step.
   */
  restore(step: string, signal: AbortSignal): Promise<RestoredStep | undefined>;
  /**
   * Keeps a step's output once it finished, before its dependents start and before its
   * `step_finished` event (a finished step is a checkpointed one). A rejection fails the step.
   */
  save(step: string, output: unknown, timing: StepTiming, signal: AbortSignal): Promise<void>;
}
