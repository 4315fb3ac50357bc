/**
 * A request body over the limit (6 MB, the Function URL's) is a 413 that says how to send large
 * images instead: upload them with `POST /uploads` and pass the s3 reference.
 */
import { WorkflowError } from "@cvflow/engine";

export function checkRequestSize(body: Uint8Array | undefined, maxBytes: number): void {
  const size = body?.length ?? 0;
  if (size > maxBytes) throw requestTooLarge(size, maxBytes);
}

function requestTooLarge(size: number, maxBytes: number): WorkflowError {
  return new WorkflowError(
    "request_too_large",
    `The request body is ${size} bytes; the limit is ${maxBytes}. Upload large images with POST /uploads, PUT them to the upload_url it returns, and pass its "image" ({"type": "s3", ...}) as the input.`,
    413,
    { size_bytes: size, limit_bytes: maxBytes, upload: { method: "POST", path: "/uploads" } },
  );
}
