/**
 * The local S3 server's requests counted by the kind S3 prices them (us-east-1 S3 Standard: PUT,
 * COPY, POST and LIST at one rate, GET and HEAD at a twelfth of it, DELETE free), so that a bench
 * or a test can tell what a job costs in requests: read a snapshot before and after, subtract.
 * Every answered request counts, refused ones too (S3 bills a 412 as the request it was).
 */
import type S3rver from "s3rver";

// A type, not an interface: it is then a Record<string, number> too, for callers that sum any kind.
export type S3RequestCounts = {
  /** PutObject, CopyObject, multipart uploads, other POSTs and PUTs. */
  put: number;
  /** ListObjects(V2) and other GETs of a bucket. */
  list: number;
  /** GetObject. */
  get: number;
  /** HeadObject (and HeadBucket). */
  head: number;
  delete: number;
  other: number;
  /** Of all the above, those answered 412 PreconditionFailed: a conditional write that found its object there. */
  precondition_failed: number;
};

export type S3RequestKind = Exclude<keyof S3RequestCounts, "precondition_failed">;

export function emptyCounts(): S3RequestCounts {
  return { put: 0, list: 0, get: 0, head: 0, delete: 0, other: 0, precondition_failed: 0 };
}

/** `after` less `before`, kind by kind. */
export function countsBetween(before: S3RequestCounts, after: S3RequestCounts): S3RequestCounts {
  const difference = emptyCounts();
  for (const kind of Object.keys(difference) as (keyof S3RequestCounts)[]) difference[kind] = after[kind] - before[kind];
  return difference;
}

/** Counts into `counts` every request, once answered; first in the middleware chain, so refused ones count too. */
export function requestCounter(counts: S3RequestCounts): S3rver.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      counts[kindOf(ctx.method, ctx.path)]++;
      if (ctx.status === 412) counts.precondition_failed++;
    }
  };
}

function kindOf(method: string, path: string): S3RequestKind {
  const objectPath = /^\/[^/]+\/.+$/.test(path);
  switch (method) {
    case "GET":
      return objectPath ? "get" : "list";
    case "HEAD":
      return "head";
    case "PUT":
    case "POST":
      return "put";
    case "DELETE":
      return "delete";
    default:
      return "other";
  }
}
