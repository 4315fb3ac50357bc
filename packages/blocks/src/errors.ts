/**
 * Every error the core blocks throw: their codes with their HTTP statuses (BLOCKS_ERRORS, whose
 * keys are BlocksErrorCode) and one factory per failure. A step's failure reaches the client with
 * `details.step` (and `index`) added by the engine. The query language's factories take `at`, the
 * JSON pointer of the failing operation or statement inside the definition the caller compiled (a
 * block passes the pointer of its own field, e.g. "/operations"), so a message names what failed.
 * Models' errors (`model_task_mismatch`, `unknown_model`, …) are vision's.
 */
import { errorsOf, type ErrorStatuses, type WorkflowError } from "@cvflow/engine";
import { describeValue, PythonTypeError } from "./uql/python-values.js";

export const BLOCKS_ERRORS = {
  invalid_uql_definition: 400,
  invalid_operation_input: 400,
  operation_error: 400,
  undeclared_symbol: 400,
  evaluation_error: 400,
  invalid_field: 400,
  invalid_operation_output: 400,
  invalid_template: 400,
  invalid_confidence_mode: 400,
  model_unavailable: 400,
  incompatible_predictions: 400,
  invalid_classification: 400,
  invalid_overlap_filtering_strategy: 400,
  invalid_threshold_type: 400,
  invalid_blur: 400,
  invalid_preprocessing: 400,
  image_size_mismatch: 400,
  invalid_color: 400,
  invalid_color_palette: 400,
  invalid_palette_size: 400,
  invalid_color_axis: 400,
  invalid_color_index: 400,
  missing_tracker_id: 400,
  untracked_detections: 400,
  missing_mask: 400,
  invalid_position: 400,
  invalid_roundness: 400,
  invalid_label_text: 400,
  invalid_prediction_format: 400,
  detection_not_found: 400,
  models_not_configured: 500,
  input_needs_async_run: 409,
  // A block needing a service this deployment lacks (serviceUnavailable below).
  service_unavailable: 501,
  // A hosted model's API (foundation/llm/call-json-api.ts): the key given was refused, the
  // provider kept asking to slow down, answered with an error, or did not answer in time.
  provider_auth_failed: 400,
  provider_rate_limited: 429,
  provider_error: 502,
  provider_timeout: 504,
} as const satisfies ErrorStatuses;
export type BlocksErrorCode = keyof typeof BLOCKS_ERRORS;

const blocksError = errorsOf(BLOCKS_ERRORS);

/** A query-language definition (operations, a statement) that does not fit its schema; every problem in `details.problems`. */
export function invalidUqlDefinition(problems: readonly { pointer: string; message: string }[]): WorkflowError {
  const first = problems[0]!;
  return blocksError("invalid_uql_definition", `${first.pointer || "/"}: ${first.message}`, { problems });
}

/** An operation received a value it cannot work on (Roboflow's InvalidInputTypeError). */
export function invalidOperationInput(operation: string, at: string, expected: string, got: unknown): WorkflowError {
  return blocksError("invalid_operation_input", `${operation} at ${at || "/"} expected ${expected}, got ${describeValue(got)}`, { operation, at });
}

/** An operation received a value of the right type that it still cannot process. */
export function operationFailed(operation: string, at: string, reason: string): WorkflowError {
  return blocksError("operation_error", `${operation} at ${at || "/"} failed: ${reason}`, { operation, at });
}

/** A name the definition refers to is not among the values given. */
export function undeclaredSymbol(name: string, at: string, declared: Iterable<string>): WorkflowError {
  const known = [...declared].sort();
  return blocksError("undeclared_symbol", `${at || "/"} refers to "${name}", which is not defined; defined: ${known.length ? known.map((k) => `"${k}"`).join(", ") : "nothing"}`, {
    symbol: name,
    at,
  });
}

/** A comparator could not compare its operands (Roboflow's EvaluationEngineError). */
export function evaluationFailed(comparator: string, at: string, reason: string): WorkflowError {
  return blocksError("evaluation_error", `"${comparator}" at ${at || "/"} could not be evaluated: ${reason}`, { comparator, at });
}

/** A block's field given a value its schema allows but the block refuses at run time. */
export function invalidField(message: string): WorkflowError {
  return blocksError("invalid_field", message);
}

/** Detections that went through no tracker, given to a block that follows objects across frames. */
export function untrackedDetections(blockType: string): WorkflowError {
  return blocksError("untracked_detections", `${blockType} needs tracked detections (a tracker_id per detection): put a tracker step (e.g. roboflow_core/byte_tracker@v3) before it`);
}

export function invalidOperationOutput(message: string): WorkflowError {
  return blocksError("invalid_operation_output", message);
}

export function invalidTemplate(message: string): WorkflowError {
  return blocksError("invalid_template", message);
}

export function invalidConfidenceMode(mode: unknown): WorkflowError {
  return blocksError("invalid_confidence_mode", `confidence_mode must be "best", "default" or "custom", got ${JSON.stringify(mode)}`);
}

/** A model block whose kind of model this server has none of. */
export function modelUnavailable(message: string, modelId: unknown, available: readonly { id: string; task: string }[]): WorkflowError {
  return blocksError("model_unavailable", message, { model_id: modelId, available });
}

/**
 * A block that needs a service this deployment does not have (the Roboflow platform, an ONVIF
 * camera on the local network): 501 like the other "not configured here" errors — not 503, since
 * trying again never helps, and not 400, since the definition is valid where that service exists.
 */
export function serviceUnavailable(blockType: string, needs: string): WorkflowError {
  return blocksError("service_unavailable", `${blockType} needs ${needs}, which cvflow does not have: the block compiles so that the rest of the workflow can be checked, but it cannot run here`, {
    block: blockType,
  });
}

/** A block reaching a service the deployment did not configure for this engine (s3_sink without Egress.s3: an engine built without it). */
export function serviceNotConfigured(blockType: string, needs: string): WorkflowError {
  return blocksError("service_unavailable", `${blockType} needs ${needs}, which this deployment did not configure`, { block: blockType });
}

/** The engine was built without `services.models`: the server's fault. */
export function modelsNotConfigured(step: string): WorkflowError {
  return blocksError("models_not_configured", `Step "${step}" runs a model, but no model runtime is configured: the engine needs services.models (a VisionModels)`, { step });
}

/** A wait_for_input step in a run that cannot wait (a synchronous one). */
export function inputNeedsAsyncRun(step: string): WorkflowError {
  return blocksError(
    "input_needs_async_run",
    // The engine puts `Step "<step>" failed: ` before it.
    "wait_for_input needs a run that can wait for a person's answer, and a synchronous run cannot: start the run asynchronously (POST /workflows/runs, POST /{workspace}/workflows/{workflow_id}/runs, or run-nowait) and answer it with POST /runs/{run_id}/input",
    { step },
  );
}

export function incompatiblePredictions(parents: readonly string[]): WorkflowError {
  return blocksError(
    "incompatible_predictions",
    `Detections consensus needs predictions made on the same image, but they refer to ${parents.length} parents: ${parents.join(", ")}`,
    { parents: [...parents] },
  );
}

export function invalidClassification(message: string): WorkflowError {
  return blocksError("invalid_classification", message);
}

/** A field's value outside the block's list of choices: `code` names the field's failure. */
export function notOneOf(
  code: "invalid_overlap_filtering_strategy" | "invalid_threshold_type",
  field: string,
  choices: readonly string[],
  got: unknown,
): WorkflowError {
  return blocksError(code, `${field} must be one of ${choices.join(", ")}; got ${JSON.stringify(got)}`);
}

export function invalidBlur(message: string): WorkflowError {
  return blocksError("invalid_blur", message);
}

export function invalidPreprocessing(message: string): WorkflowError {
  return blocksError("invalid_preprocessing", message);
}

/** Two images of a step that must have one size; `property` is the field of the one that differs. */
export function imageSizeMismatch(message: string, property: string): WorkflowError {
  return blocksError("image_size_mismatch", message, { property });
}

/** A colour that does not parse; `property` names the field where the block knows it. */
export function invalidColor(message: string, property?: string): WorkflowError {
  return blocksError("invalid_color", message, property === undefined ? {} : { property });
}

/** The visualizations' drawing options (palette, colour axis, position, label text, …) that do not apply. */
export function invalidDrawing(
  code:
    | "invalid_color_palette"
    | "invalid_palette_size"
    | "invalid_color_axis"
    | "invalid_color_index"
    | "missing_tracker_id"
    | "missing_mask"
    | "invalid_position"
    | "invalid_roundness"
    | "invalid_label_text"
    | "invalid_prediction_format",
  message: string,
): WorkflowError {
  return blocksError(code, message);
}

/** A measurement whose predictions lack a detection of a class it needs (`classes`: the ones it looked for). */
export function detectionNotFound(message: string, classes: readonly string[]): WorkflowError {
  return blocksError("detection_not_found", message, { classes: [...classes] });
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

export type ProviderErrorCode = "provider_auth_failed" | "provider_rate_limited" | "provider_error" | "provider_timeout";

/** A hosted model's API failed; `message` names the provider and what it answered, with no key in it. */
export function providerFailed(code: ProviderErrorCode, message: string, details: Record<string, unknown>): WorkflowError {
  return blocksError(code, message, details);
}
