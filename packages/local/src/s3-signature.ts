/**
 * Requests to the local S3 server must be signed with its key pair — AWS Signature Version 4, in
 * the Authorization header or a presigned URL's query — as S3 requires. s3rver itself lets
 * anonymous requests through and checks no V4 signature at all, and the bucket holds the API
 * keys' records: without this, any process on the machine could read the bucket or mint a key.
 * CORS preflights (OPTIONS) carry no credentials, as on S3.
 */
import { verifySigV4, type SigV4Credentials } from "@cvflow/store";
import type S3rver from "s3rver";
import { sendS3Error } from "./s3-error-response.js";

export function signedRequestsOnly(credentials: SigV4Credentials): S3rver.Middleware {
  return async (ctx, next) => {
    if (ctx.method === "OPTIONS") return next();
    const verdict = verifySigV4({ method: ctx.method, path: ctx.path, query: ctx.query, headers: ctx.headers }, credentials);
    if (!verdict.valid) return sendS3Error(ctx, verdict.status, verdict.code, verdict.message);
    return next();
  };
}
