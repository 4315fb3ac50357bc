/**
 * Answers a request the way S3 reports errors: the status and an `<Error>` XML document. An unread
 * request body is read and dropped, so that the client gets this answer, not a reset connection.
 */
import { randomBytes } from "node:crypto";
import type S3rver from "s3rver";

export function sendS3Error(ctx: S3rver.Context, status: number, code: string, message: string, detail: Record<string, string> = {}): void {
  ctx.req.resume();
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const fields = { Code: code, Message: message, ...detail, RequestId: requestId };
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join("");
  ctx.status = status;
  ctx.type = "application/xml";
  ctx.set("x-amz-request-id", requestId);
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${body}</Error>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
