/**
 * Every failure the engine reports is a WorkflowError: a stable machine-readable `code`, a
 * message a person understands, the HTTP status a service should answer with, and — where it
 * concerns the definition — the JSON pointer into it, the step and the property.
 */
import type { WorkflowIssue } from "@cvflow/wire";

/** One problem, as the API sends it in `details.errors` and in validation warnings. */
export type { WorkflowIssue };

export interface WorkflowErrorJSON {
  code: string;
  message: string;
  status: number;
  details: Record<string, unknown>;
}

export class WorkflowError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, status = 400, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "WorkflowError";
    this.code = code;
    this.status = status;
    this.details = details;
  }

  toJSON(): WorkflowErrorJSON {
    return { code: this.code, message: this.message, status: this.status, details: this.details };
  }
}

/** A definition that does not compile; `issues` holds every problem found in one pass. */
export class WorkflowCompileError extends WorkflowError {
  readonly issues: WorkflowIssue[];

  constructor(issues: WorkflowIssue[]) {
    const first = issues[0];
    const summary =
      issues.length === 1 && first
        ? first.message
        : `The workflow definition has ${issues.length} problems; the first: ${first?.message ?? "unknown"}`;
    super("invalid_workflow", summary, ENGINE_ERRORS.invalid_workflow, { errors: issues });
    this.name = "WorkflowCompileError";
    this.issues = issues;
  }
}

/** Runtime inputs that do not fit the compiled definition (missing, wrong shape, bad values). */
export class WorkflowInputError extends WorkflowError {
  constructor(code: EngineErrorCode, message: string, pointer: string, details: Record<string, unknown> = {}) {
    super(code, message, ENGINE_ERRORS[code], { pointer, ...details });
    this.name = "WorkflowInputError";
  }
}

/**
 * A block failed while running; carries the step name and, where known, the element index. The
 * message of a cause that is not a WorkflowError (a library's, the system's) is passed on without
 * the directories of the absolute paths it names: a client learns the file, not this machine's layout.
 */
export class StepExecutionError extends WorkflowError {
  constructor(step: string, cause: unknown, index?: readonly number[]) {
    const known = cause instanceof WorkflowError ? cause : undefined;
    const inner = known ? known.message : withoutDirectories(cause instanceof Error ? cause.message : String(cause));
    super(
      known?.code ?? "step_execution_error",
      `Step "${step}" failed: ${inner}`,
      known?.status ?? ENGINE_ERRORS.step_execution_error,
      { ...(known?.details ?? {}), step, ...(index ? { index: [...index] } : {}) },
    );
    this.name = "StepExecutionError";
    this.cause = cause;
  }
}

/**
 * The HTTP status of each code a package throws. Every package keeps one such table in its
 * errors.ts, beside the factories its throw sites call; the table's keys are the package's code
 * union, and test/error-codes.test.ts checks docs/api.md's error table against all of them.
 */
export type ErrorStatuses = Readonly<Record<string, number>>;

/** The WorkflowError of one of the table's codes, with the status the table gives it. */
export function errorsOf<T extends ErrorStatuses>(statuses: T) {
  return (code: keyof T & string, message: string, details: Record<string, unknown> = {}): WorkflowError =>
    new WorkflowError(code, message, statuses[code]!, details);
}

export const ENGINE_ERRORS = {
  invalid_workflow: 400,
  missing_input: 400,
  invalid_input: 400,
  batch_length_mismatch: 400,
  invalid_input_kind: 400,
  invalid_detections: 400,
  too_deeply_nested: 400,
  image_too_large: 413,
  run_cancelled: 499,
  step_execution_error: 500,
  internal_error: 500,
  deadline_exceeded: 504,
} as const satisfies ErrorStatuses;
export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

const engineError = errorsOf(ENGINE_ERRORS);

/** A run input the definition needs and the request left out. */
export function missingInput(message: string, pointer: string, details: Record<string, unknown> = {}): WorkflowInputError {
  return new WorkflowInputError("missing_input", message, pointer, details);
}

/** A run input of the wrong shape, or a value the field it feeds does not take. */
export function invalidInput(message: string, pointer: string, details: Record<string, unknown> = {}): WorkflowInputError {
  return new WorkflowInputError("invalid_input", message, pointer, details);
}

/** Batch inputs whose lengths (`details.lengths`, by input) or nesting do not match. */
export function batchLengthMismatch(message: string, pointer: string, details: { lengths?: Record<string, number> } = {}): WorkflowInputError {
  return new WorkflowInputError("batch_length_mismatch", message, pointer, details);
}

/** A value reaching a step's field is not of a kind the field takes. */
export function invalidInputKind(step: string, field: string, kinds: readonly string[], why: string): WorkflowError {
  return engineError("invalid_input_kind", `Step "${step}": "${field}" expects ${kinds.join(" or ")}, ${why}`, { step, property: field });
}

/** Detections on the wire (an input, a block's result) that are not the grammar's format. */
export function invalidDetections(message: string, pointer: string): WorkflowError {
  return engineError("invalid_detections", message, { pointer });
}

export function tooDeeplyNested(what: string, limit: number): WorkflowError {
  return engineError("too_deeply_nested", `${what} nests objects and arrays more than ${limit} levels deep`, { limit });
}

const MiB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * An image's encoded bytes over the cap, wherever they are read (vision's loader, a store reading
 * an s3 input): `bytes` when the size is known before reading; otherwise the read stopped at the cap.
 */
export function imageTooLarge(bytes: number | undefined, maxBytes: number): WorkflowError {
  const size = bytes === undefined ? "larger than" : `${formatBytes(bytes)}, over`;
  return engineError("image_too_large", `The image is ${size} the ${formatBytes(maxBytes)} limit`, {
    ...(bytes === undefined ? {} : { bytes }),
    max_bytes: maxBytes,
  });
}

/** A failure no code names: a bug or an outage (the service's answer names only its request id). */
export function internalError(message: string): WorkflowError {
  return engineError("internal_error", message);
}

/** Past the deadline, with where the run was (work that is no run, such as a store call, has no steps). */
export function deadlineExceeded(
  finished: readonly string[],
  running: readonly string[],
  message = `The run did not finish within its deadline; finished steps: ${finished.join(", ") || "none"}`,
): WorkflowError {
  return engineError("deadline_exceeded", message, runningSteps(finished, running));
}

/** The run stopped before its end (its caller went away, or it is over); the steps where it was, when known. */
export function runCancelled(message = "The run was cancelled", steps?: { finished: readonly string[]; running: readonly string[] }): WorkflowError {
  return engineError("run_cancelled", message, steps ? runningSteps(steps.finished, steps.running) : {});
}

function runningSteps(finished: readonly string[], running: readonly string[]): Record<string, unknown> {
  return { finished_steps: [...finished], running_steps: [...running] };
}

/** An absolute path of two or more segments, not inside a URL (no ':', '/' or word character before it). */
const ABSOLUTE_PATH = /(?<![\w:/.~-])\/(?:[^\s/'"`:,;()]+\/)+([^\s/'"`:,;()]*)/g;

/** `open '/var/task/models/a.onnx'` → `open '…/a.onnx'`. */
export function withoutDirectories(message: string): string {
  return message.replace(ABSOLUTE_PATH, (_, name: string) => `…/${name}`);
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + pointerSegment(s)).join("");
}
