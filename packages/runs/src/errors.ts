/**
 * Every error runs throw: their codes with their HTTP statuses (RUNS_ERRORS, whose keys are
 * RunsErrorCode) and one factory per failure. The run routes (cvflow's, LlamaIndex's, Dify's)
 * answer with them; a run's record carries its error as a RunError (code, message, details).
 */
import { errorsOf, type ErrorStatuses, type WorkflowError } from "@cvflow/engine";

export const RUNS_ERRORS = {
  run_not_found: 404,
  run_inputs_not_kept: 404,
  invalid_answer: 400,
  run_not_waiting: 409,
  run_not_retryable: 409,
  idempotency_key_reused: 422,
  input_timeout: 504,
  run_timed_out: 504,
  runs_not_configured: 501,
} as const satisfies ErrorStatuses;
export type RunsErrorCode = keyof typeof RUNS_ERRORS;

const runsError = errorsOf(RUNS_ERRORS);

export function runNotFound(id: string): WorkflowError {
  return runsError("run_not_found", `No run "${id}"`, { run_id: id });
}

/** A run without its stored request: a sync run (its record keeps a summary of the inputs, not them). */
export function runInputsNotKept(id: string): WorkflowError {
  return runsError("run_inputs_not_kept", `Run ${id}'s inputs are not kept: only async runs keep the request they were started with (a sync run's record has a summary of them: inputsSummary)`, {
    run_id: id,
  });
}

/** One way an answer misses the schema of the step that asked for it. */
export interface AnswerIssue {
  message: string;
  /** JSON pointer into the answer. */
  pointer: string;
}

/** The answer does not fit the schema the `wait_for_input` step asked with; every problem in `details.errors`. */
export function invalidAnswer(step: string, issues: AnswerIssue[]): WorkflowError {
  const first = issues[0];
  const where = first ? ` at ${first.pointer === "" ? "the answer's root" : first.pointer}` : "";
  return runsError("invalid_answer", `The answer does not fit the schema of step "${step}"${where}: ${first?.message ?? "invalid"}`, {
    step,
    pointer: first?.pointer ?? "",
    errors: issues,
  });
}

export function runNotWaiting(id: string, status: string): WorkflowError {
  return runsError("run_not_waiting", `Run ${id} is not waiting for input (it is ${status})`, { run_id: id, status });
}

export function runNotRetryable(id: string, status: string): WorkflowError {
  return runsError("run_not_retryable", `Run ${id} is ${status}: only a failed, cancelled or timed-out run can be retried`, { run_id: id, status });
}

export function idempotencyKeyReused(runId: string): WorkflowError {
  return runsError("idempotency_key_reused", "This Idempotency-Key was used with another request; send a new key for a new run", { run_id: runId });
}

/** A `wait_for_input` step that was not answered in time. */
export function inputTimeout(step: string, timeoutMs: number): WorkflowError {
  return runsError("input_timeout", `Step "${step}" waited ${Math.round(timeoutMs / 1000)} s for an answer and got none`, { step });
}

/** The reaper's verdict on a run still unfinished past its limit (its worker is gone). */
export function runTimedOut(limitMs: number): WorkflowError {
  return runsError("run_timed_out", `The run did not finish within its limit of ${Math.round(limitMs / 1000)} s`, { limit_ms: limitMs });
}

export function runsNotConfigured(message: string): WorkflowError {
  return runsError("runs_not_configured", message);
}
