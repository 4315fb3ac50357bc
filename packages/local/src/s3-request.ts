/**
 * What one request to the local S3 server does to which object, read from its method, path and
 * query before s3rver's router sees it. Path-style addressing only: the local server listens on an
 * IP address and every cvflow client sets `forcePathStyle`.
 */
import type S3rver from "s3rver";

export type ObjectOperation =
  /** PutObject, or CopyObject when `copySource` is set. */
  | { kind: "put"; copySource?: { bucket: string; key: string } }
  | { kind: "upload-part" }
  | { kind: "complete-multipart" }
  | { kind: "delete" }
  | { kind: "read" }
  | { kind: "other" };

export interface ObjectRequest {
  bucket: string;
  key: string;
  operation: ObjectOperation;
}

/** Query parameters that make a request about something else than the object's bytes. */
const SUBRESOURCES = ["uploadId", "uploads", "partNumber", "tagging", "acl", "legal-hold", "retention", "select", "torrent"];

/**
 * Undefined for requests about the service or a bucket (listings, bucket creation, ...).
 * Call it only for paths that passed `escapesDataDirectory`, so they decode.
 */
export function objectRequest(ctx: S3rver.Context): ObjectRequest | undefined {
  const location = splitPath(ctx.path);
  if (!location) return undefined;
  return { ...location, operation: operation(ctx) };
}

function operation(ctx: S3rver.Context): ObjectOperation {
  const has = (name: string): boolean => ctx.query[name] !== undefined;
  const plain = !SUBRESOURCES.some(has);
  switch (ctx.method) {
    case "PUT": {
      if (has("uploadId")) return { kind: "upload-part" };
      if (!plain) return { kind: "other" };
      const source = header(ctx, "x-amz-copy-source");
      const copySource = source === undefined ? undefined : splitPath("/" + source.replace(/^\//, "").replace(/\?.*$/, ""));
      return copySource ? { kind: "put", copySource } : { kind: "put" };
    }
    case "POST":
      return has("uploadId") ? { kind: "complete-multipart" } : { kind: "other" };
    case "DELETE":
      return plain ? { kind: "delete" } : { kind: "other" };
    case "GET":
    case "HEAD":
      return { kind: "read" };
    default:
      return { kind: "other" };
  }
}

/** `/bucket/key…` (percent-encoded) to the bucket and the decoded key; undefined without a key. */
function splitPath(path: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  return match ? { bucket: decodeURIComponent(match[1]!), key: decodeURIComponent(match[2]!) } : undefined;
}

/**
 * s3rver keeps an object at `<directory>/<bucket>/<key>` on disk, so a `.` or `..` segment in a
 * bucket or key (legal in S3, where keys are opaque) would reach files outside the data
 * directory. Such paths, and paths that do not percent-decode, are refused before s3rver.
 */
export function escapesDataDirectory(path: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  return decoded.split(/[/\\]/).some((segment) => segment === "." || segment === "..");
}

export function header(ctx: S3rver.Context, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
