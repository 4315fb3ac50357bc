/**
 * Every failure of a client call is a CvflowError. Server errors carry the code, status, message
 * and details of the API's envelope `{"error": {code, message, status, details}}`; failures that
 * never got an HTTP answer have status 0 and a code of their own (see ClientErrorCode).
 */
import type { ErrorEnvelope } from "@cvflow/wire";

export type ClientErrorCode =
  /** The server could not be reached (refused, reset, DNS, TLS). */
  | "network_error"
  /** No complete answer within the client's `timeoutMs`. */
  | "timeout"
  /** An error status without the API's error envelope (e.g. from a proxy). */
  | "http_error"
  /** A success status whose body is not the JSON the route documents. */
  | "invalid_response"
  /** An ImageSource that is no readable file, URL, base64 or data URL. */
  | "invalid_image_source"
  /** Arguments the client refuses before sending anything. */
  | "invalid_argument"
  /** The PUT of an image to its presigned upload URL failed. */
  | "upload_failed"
  /** The GET of an image a large response carried as a presigned URL failed. */
  | "download_failed";

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
