/**
 * The query language's failures, as WorkflowErrors with stable codes. `at` is the JSON pointer
 * of the failing operation or statement inside the definition the caller compiled (a block
 * passes the pointer of its own field, e.g. "/operations"), so a message names what failed.
 */
import { WorkflowError } from "@cvflow/engine";
import { PythonTypeError, describeValue } from "./python-values.js";

/** An operation received a value it cannot work on (Roboflow's InvalidInputTypeError). */
export function invalidOperationInput(operation: string, at: string, expected: string, got: unknown): WorkflowError {
  return new WorkflowError(
    "invalid_operation_input",
    `${operation} at ${at || "/"} expected ${expected}, got ${describeValue(got)}`,
    400,
    { operation, at },
  );
}

/** An operation received a value of the right type that it still cannot process. */
export function operationFailed(operation: string, at: string, reason: string): WorkflowError {
  return new WorkflowError("operation_error", `${operation} at ${at || "/"} failed: ${reason}`, 400, { operation, at });
}

/** A name the definition refers to is not among the values given. */
export function undeclaredSymbol(name: string, at: string, declared: Iterable<string>): WorkflowError {
  const known = [...declared].sort();
  return new WorkflowError(
    "undeclared_symbol",
    `${at || "/"} refers to "${name}", which is not defined; defined: ${known.length ? known.map((k) => `"${k}"`).join(", ") : "nothing"}`,
    400,
    { symbol: name, at },
  );
}

/** A comparator could not compare its operands (Roboflow's EvaluationEngineError). */
export function evaluationFailed(comparator: string, at: string, reason: string): WorkflowError {
  return new WorkflowError("evaluation_error", `"${comparator}" at ${at || "/"} could not be evaluated: ${reason}`, 400, {
    comparator,
    at,
  });
}

/** Runs `work`, reporting what Python would raise as TypeError as a bad input to `operation`. */
export function guarded<T>(operation: string, at: string, expected: string, value: unknown, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof PythonTypeError) throw invalidOperationInput(operation, at, `${expected} (${error.message})`, value);
    throw error;
  }
}
