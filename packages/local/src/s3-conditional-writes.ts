/**
 * Conditional writes for s3rver, which has none, as S3 answers them (PutObject, CopyObject,
 * CompleteMultipartUpload and DeleteObject):
 *   If-None-Match: *      → 412 PreconditionFailed when the key exists (other values: 501)
 *   If-Match: <etag> | *  → 412 PreconditionFailed when the current ETag differs,
 *                           404 NoSuchKey when there is no object
 * Every request on one object holds that object's lock (see key-lock.ts): the check and the write
 * happen as one step, so of two conditional writers only one can win, and a read never sees half a
 * write. S3 answers a write that races another conditional one with 409 ConditionalRequestConflict;
 * here such writes simply wait their turn, so that answer never comes.
 *
 * It also refuses what s3rver would get wrong silently: paths that leave its data directory, and
 * aws-chunked bodies (streaming checksums), which it would store with their chunk framing.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type S3rver from "s3rver";
import { KeyLocks } from "./key-lock.js";
import { sendS3Error } from "./s3-error-response.js";
import { escapesDataDirectory, header, objectRequest, type ObjectOperation, type ObjectRequest } from "./s3-request.js";

type Store = S3rver["store"];

const operations = new AsyncLocalStorage<ObjectOperation>();

/** The operation of the request being handled, for s3rver's event listeners (they get no request). */
export function currentObjectOperation(): ObjectOperation | undefined {
  return operations.getStore();
}

export function conditionalWrites(store: Store): S3rver.Middleware {
  const locks = new KeyLocks();
  return async (ctx, next) => {
    const copySource = header(ctx, "x-amz-copy-source");
    if (escapesDataDirectory(ctx.path) || (copySource !== undefined && escapesDataDirectory(copySource))) {
      return sendS3Error(ctx, 400, "InvalidURI", "The local S3 server refuses '.' and '..' path segments: they would leave its data directory.");
    }
    const request = objectRequest(ctx);
    if (!request) return next();
    const { operation } = request;
    if ((operation.kind === "put" || operation.kind === "upload-part") && isAwsChunked(ctx)) {
      return sendS3Error(
        ctx,
        501,
        "NotImplemented",
        'The local S3 server does not decode aws-chunked bodies; create the client with requestChecksumCalculation: "WHEN_REQUIRED".',
        { Header: "Content-Encoding" },
      );
    }
    const held = lockedKeys(request);
    if (held.length === 0) return operations.run(operation, next);

    // A read's body streams out after the middleware returns, so locks end with the response;
    // a client that goes away (even while waiting) ends them too.
    let closed = false;
    let release: (() => void) | undefined;
    ctx.res.once("close", () => {
      closed = true;
      release?.();
    });
    release = await locks.acquireAll(held);
    if (closed) return release();
    try {
      if (operation.kind !== "read") {
        const refused = await refusal(ctx, store, request);
        if (refused) return sendS3Error(ctx, ...refused);
      }
      await operations.run(operation, next);
    } finally {
      if (operation.kind !== "read") release();
    }
  };
}

function lockedKeys({ bucket, key, operation }: ObjectRequest): { key: string; exclusive: boolean }[] {
  const target = `${bucket}/${key}`;
  switch (operation.kind) {
    case "read":
      return [{ key: target, exclusive: false }];
    case "put": {
      const source = operation.copySource && `${operation.copySource.bucket}/${operation.copySource.key}`;
      return source && source !== target ? [{ key: target, exclusive: true }, { key: source, exclusive: false }] : [{ key: target, exclusive: true }];
    }
    case "complete-multipart":
    case "delete":
      return [{ key: target, exclusive: true }];
    case "upload-part":
    case "other":
      return [];
  }
}

type Refusal = [status: number, code: string, message: string, detail?: Record<string, string>];

async function refusal(ctx: S3rver.Context, store: Store, { bucket, key }: ObjectRequest): Promise<Refusal | undefined> {
  const ifMatch = header(ctx, "if-match")?.trim();
  const ifNoneMatch = header(ctx, "if-none-match")?.trim();
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch !== "*") {
    return [501, "NotImplemented", "A header you provided implies functionality that is not implemented", { Header: "If-None-Match" }];
  }
  const current = await currentEtag(store, bucket, key);
  if (ifMatch !== undefined) {
    if (current === undefined) return [404, "NoSuchKey", "The specified key does not exist.", { Key: key }];
    if (ifMatch !== "*" && bareEtag(ifMatch) !== bareEtag(current)) return preconditionFailed("If-Match");
  }
  if (ifNoneMatch !== undefined && current !== undefined) return preconditionFailed("If-None-Match");
  return undefined;
}

function preconditionFailed(condition: string): Refusal {
  return [412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", { Condition: condition }];
}

async function currentEtag(store: Store, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await store.getMetadata(bucket, key)).etag;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** ETags compare without their quotes (clients send both forms) and without a weak marker. */
function bareEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/"/g, "");
}

function isAwsChunked(ctx: S3rver.Context): boolean {
  return /aws-chunked/i.test(header(ctx, "content-encoding") ?? "") || (header(ctx, "x-amz-content-sha256") ?? "").startsWith("STREAMING-");
}
