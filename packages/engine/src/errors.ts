/**
 * Every failure the engine reports is a WorkflowError: a stable machine-readable `code`, a
 * message a person understands, the HTTP status a service should answer with, and — where it
 * concerns the definition — the JSON pointer into it, the step and the property.
 */

export interface WorkflowIssue {
  code: string;
  message: string;
  /** JSON pointer (RFC 6901) into the definition, or into the runtime inputs for input errors. */
  pointer?: string;
  step?: string;
  property?: string;
}

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
    super("invalid_workflow", summary, 400, { errors: issues });
    this.name = "WorkflowCompileError";
    this.issues = issues;
  }
}

/** Runtime inputs that do not fit the compiled definition (missing, wrong shape, bad values). */
export class WorkflowInputError extends WorkflowError {
  constructor(code: string, message: string, pointer: string, details: Record<string, unknown> = {}) {
    super(code, message, 400, { pointer, ...details });
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
      known?.status ?? 500,
      { ...(known?.details ?? {}), step, ...(index ? { index: [...index] } : {}) },
    );
    this.name = "StepExecutionError";
    this.cause = cause;
  }
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
