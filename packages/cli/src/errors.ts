/**
 * The errors the `cvflow` command makes itself (CLI_ERROR_CODES, whose members are CliErrorCode),
 * one factory each; all are CvflowErrors of status 0, as no HTTP answer is involved. Besides these
 * it reports the server's errors, the SDK's client codes (`invalid_argument`, …), the local
 * engine's WorkflowErrors (asCvflowError) and the local stack's StackStartError codes.
 */
import { tooDeeplyNested, WorkflowError } from "@cvflow/engine";
import { CvflowError } from "@cvflow/sdk";

export const CLI_ERROR_CODES = [
  "file_not_readable",
  "invalid_json",
  "input_not_found",
  "unknown_image_input",
  "not_available",
  "max_failures_reached",
  "images_failed",
  "internal_error",
] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

function cliError(code: CliErrorCode, message: string, details: Record<string, unknown> = {}): CvflowError {
  return new CvflowError(code, message, 0, details);
}

/** The CLI reports CvflowErrors (code, message, each problem with its pointer); the engine's WorkflowErrors carry the same fields. */
export function asCvflowError(error: unknown): unknown {
  return error instanceof WorkflowError ? new CvflowError(error.code, error.message, 0, error.details, { cause: error }) : error;
}

export function fileNotReadable(path: string, why: string): CvflowError {
  return cliError("file_not_readable", `Cannot read ${path}: ${why}`, { path });
}

/** A definition file nested past the limit: the engine's too_deeply_nested, as the API answers a body. */
export function fileTooDeeplyNested(path: string, limit: number): CvflowError {
  return asCvflowError(tooDeeplyNested(path, limit)) as CvflowError;
}

/** `why` finishes the sentence `<path> …`. */
export function invalidJsonFile(path: string, why: string): CvflowError {
  return cliError("invalid_json", `${path} ${why}`, { path });
}

export function inputNotFound(input: string, shown: string): CvflowError {
  return cliError("input_not_found", `${shown} is not a folder`, { input });
}

export function unknownImageInput(imageInput: string, imageInputs: readonly string[]): CvflowError {
  const known = imageInputs.length ? `its image inputs: ${imageInputs.join(", ")}` : "it has none";
  return cliError("unknown_image_input", `The workflow has no image input "${imageInput}" (${known}); choose one with --image-input`, { image_inputs: [...imageInputs] });
}

export function notAvailable(message: string): CvflowError {
  return cliError("not_available", message);
}

export function maxFailuresReached(message: string): CvflowError {
  return cliError("max_failures_reached", message);
}

export function imagesFailed(message: string): CvflowError {
  return cliError("images_failed", message);
}

/** A bug of the CLI, not a user's mistake: still no stack trace, but what it was. */
export function internalError(error: unknown): CvflowError {
  return cliError("internal_error", error instanceof Error ? error.message : String(error));
}
