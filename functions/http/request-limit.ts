/**
 * A request body over the limit (6 MB, the Function URL's) is a 413 that says how to send large
 * images instead: upload them with `POST /uploads` and pass the s3 reference.
 */
import { WorkflowError } from "@cvflow/engine";
import type { MiddlewareObj } from "@middy/core";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

export function requestLimit(maxBytes: number): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    name: "requestLimit",
    before: (request) => {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined) return;
      const size = isBase64Encoded ? base64Size(body) : Buffer.byteLength(body);
      if (size > maxBytes) throw requestTooLarge(size, maxBytes);
    },
  };
}

/** Decoded size of base64 text, without decoding it. */
function base64Size(text: string): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

export function requestTooLarge(size: number, maxBytes: number): WorkflowError {
  return new WorkflowError(
    "request_too_large",
    `The request body is ${size} bytes; the limit is ${maxBytes}. Upload large images with POST /uploads, PUT them to the upload_url it returns, and pass its "image" ({"type": "s3", ...}) as the input.`,
    413,
    { size_bytes: size, limit_bytes: maxBytes, upload: { method: "POST", path: "/uploads" } },
  );
}
