/**
 * Every failure of a client call is a CvflowError. Server errors carry the code, status, message
 * and details of the API's envelope `{"error": {code, message, status, details}}`; failures that
 * never got an HTTP answer have status 0 and a code of their own (CLIENT_ERROR_CODES), each
 * made by one factory here.
 */
import type { ErrorEnvelope } from "@cvflow/wire";

export const CLIENT_ERROR_CODES = [
  /** The server could not be reached (refused, reset, DNS, TLS). */
  "network_error",
  /** No complete answer within the client's `timeoutMs`. */
  "timeout",
  /** An error status without the API's error envelope (e.g. from a proxy). */
  "http_error",
  /** A success status whose body is not the JSON the route documents. */
  "invalid_response",
  /** An ImageSource that is no readable file, URL, base64 or data URL. */
  "invalid_image_source",
  /** Arguments the client refuses before sending anything. */
  "invalid_argument",
  /** The PUT of an image to its presigned upload URL failed. */
  "upload_failed",
  /** The GET of an image a large response carried as a presigned URL failed. */
  "download_failed",
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** The API's error envelope (@cvflow/wire), which toJSON gives back. */
export type CvflowErrorJSON = ErrorEnvelope;

export class CvflowError extends Error {
  /** The server's error code (`invalid_workflow`, `forbidden`, ...) or a ClientErrorCode. */
  readonly code: string;
  /** The HTTP status; 0 when no HTTP answer was involved. */
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, status = 0, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CvflowError";
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The API's error envelope body, as the server would have sent it. */
  toJSON(): CvflowErrorJSON {
    return { code: this.code, message: this.message, status: this.status, details: this.details };
  }
}

/** `status`: the HTTP answer's, when there was one (0 when none). */
function clientError(code: ClientErrorCode, message: string, status = 0, details: Record<string, unknown> = {}, cause?: unknown): CvflowError {
  return new CvflowError(code, message, status, details, cause === undefined ? undefined : { cause });
}

export function networkError(message: string, cause: unknown): CvflowError {
  return clientError("network_error", message, 0, {}, cause);
}

export function timeout(message: string, timeoutMs: number, cause: unknown): CvflowError {
  return clientError("timeout", message, 0, { timeout_ms: timeoutMs }, cause);
}

export function httpError(message: string, status: number): CvflowError {
  return clientError("http_error", message, status);
}

export function invalidResponse(message: string, status = 0): CvflowError {
  return clientError("invalid_response", message, status);
}

export function invalidImageSource(message: string, details: Record<string, unknown> = {}): CvflowError {
  return clientError("invalid_image_source", message, 0, details);
}

export function invalidArgument(message: string): CvflowError {
  return clientError("invalid_argument", message);
}

export function uploadFailed(message: string, status: number): CvflowError {
  return clientError("upload_failed", message, status);
}

/** `what`: the output (its pointer) whose image it was, never the URL, which carries a signature. */
export function downloadFailed(what: string, status: number, excerpt: string): CvflowError {
  return clientError("download_failed", `The download of ${what} answered ${status}${excerpt ? `: ${excerpt}` : ""}`, status);
}
