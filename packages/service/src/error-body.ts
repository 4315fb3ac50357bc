/**
 * The one shape of every error body, whoever answers (the service, the local gateway, node:http's
 * refusals): cvflow's envelope `{"error": {code, message, status, details}}`, and beside it the
 * fields Roboflow's clients read. inference_sdk shows a body's top-level `message` and, when the
 * key `inner_error_message` is present, appends it as "More details: …"; so `message` repeats the
 * envelope's text, `error_type` is the code (cvflow's snake_case code, not a Python class name),
 * and `inner_error_message` is there only when there is an underlying cause worth showing.
 */

export interface ErrorBody {
  error: { code: string; message: string; status: number; details: Record<string, unknown> };
  message: string;
  error_type: string;
  inner_error_message?: string;
}

export function errorBody(code: string, message: string, status: number, details: Record<string, unknown> = {}): ErrorBody {
  const inner = innerErrorMessage(details);
  return { error: { code, message, status, details }, message, error_type: code, ...(inner === undefined ? {} : { inner_error_message: inner }) };
}

/**
 * Where a list of problems (`details.errors`: a definition's compile errors, a batch job's) is: the
 * first one with its JSON pointer, and how many more the list holds. Otherwise nothing: the
 * message already says all there is.
 */
function innerErrorMessage(details: Record<string, unknown>): string | undefined {
  const errors = details["errors"];
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  if (!isRecord(first) || typeof first["message"] !== "string") return undefined;
  const pointer = first["pointer"];
  const where = typeof pointer === "string" ? `at ${pointer === "" ? "the document's root" : pointer}: ` : "";
  const count = (errors as unknown[]).length;
  const more = count > 1 ? ` (and ${count - 1} more in error.details.errors)` : "";
  return `${where}${first["message"]}${more}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
