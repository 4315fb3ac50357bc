/**
 * The one shape of every error body, whoever answers (the service, the local gateway, node:http's
 * refusals): cvflow's envelope `{"error": {code, message, status, details}}`, and beside it the
 * fields Roboflow's clients read. inference_sdk shows a body's top-level `message` and, when the
 * key `inner_error_message` is present, appends it as "More details: …"; so `message` repeats the
 * envelope's text, `error_type` is the code (cvflow's snake_case code, not a Python class name),
 * and `inner_error_message` is there only when there is an underlying cause worth showing.
 */

import { isRecord, type ErrorBody } from "@cvflow/wire";

export type { ErrorBody };

export function errorBody(code: string, message: string, status: number, details: Record<string, unknown> = {}): ErrorBody {
  const inner = innerErrorMessage(details);
  return { error: { code, message, status, details }, message, error_type: code, ...(inner === undefined ? {} : { inner_error_message: inner }) };
}

/** How many problems of a list inner_error_message spells out; the rest are counted. */
const LISTED_PROBLEMS = 10;

/**
 * Where a list of problems (`details.errors`: a definition's compile errors, a batch job's) is:
 * each at its JSON pointer, the first ten, and how many more the list holds — a Python user sees
 * this line, never `details`. Otherwise nothing: the message already says all there is.
 */
function innerErrorMessage(details: Record<string, unknown>): string | undefined {
  const errors = details["errors"];
  if (!Array.isArray(errors)) return undefined;
  const problems = errors.filter((error): error is Record<string, unknown> => isRecord(error) && typeof error["message"] === "string");
  if (problems.length === 0) return undefined;
  const listed = problems.slice(0, LISTED_PROBLEMS).map((problem) => {
    const pointer = problem["pointer"];
    return typeof pointer === "string" ? `at ${pointer === "" ? "the document's root" : pointer}: ${problem["message"] as string}` : (problem["message"] as string);
  });
  const more = errors.length > listed.length ? ` (and ${errors.length - listed.length} more in error.details.errors)` : "";
  return `${listed.join("; ")}${more}`;
}

/**
 * The body with LlamaIndex's `detail` (the message) beside cvflow's fields: their workflow
 * server answers `{"detail": ...}` and their clients show it; cvflow's clients still read `error`.
 */
export function withDetail(body: ErrorBody): ErrorBody & { detail: string } {
  return { detail: body.message, ...body };
}
