/**
 * A request body over the limit (6 MB, the Function URL's) is a 413 that says how to send large
 * images instead: upload them with `POST /uploads` and pass the s3 reference.
 */
import { requestTooLarge } from "./errors.js";

export function checkRequestSize(body: Uint8Array | undefined, maxBytes: number): void {
  const size = body?.length ?? 0;
  if (size > maxBytes) throw requestTooLarge(size, maxBytes);
}
