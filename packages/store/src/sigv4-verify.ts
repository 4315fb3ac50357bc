/**
 * Checks AWS Signature Version 4 on a request to an S3-protocol server, in both of its forms: the
 * Authorization header (what the SDK sends) and the presigned query (`X-Amz-Signature`, what
 * getSignedUrl issues). Only the one key pair given is accepted. The canonical query and headers
 * come from @smithy/signature-v4, the code the SDK signs with, so what it signed is what is
 * checked. Unlike S3, a signed payload hash is not compared with the body (the body streams on
 * unread): a signed request replayed within its 15 minutes could carry other bytes.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ALGORITHM_IDENTIFIER, createScope, getCanonicalHeaders, getCanonicalQuery, UNSIGNED_PAYLOAD } from "@smithy/signature-v4";

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** As sent: percent-encoded and not normalised (S3 signs its paths so). */
  path: string;
  /** Decoded query parameters. */
  query: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** A refusal carries S3's status and error code. */
export type SignatureVerdict = { valid: true } | { valid: false; status: number; code: string; message: string };

/** How far a header-signed request's time may be from the server's (S3's own limit). */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The longest a presigned URL lives. */
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

interface Claim {
  credential: string;
  longDate: string;
  signedHeaders: string;
  signature: string;
  payloadHash: string;
}

export function verifySigV4(request: SignedRequest, credentials: SigV4Credentials, now = Date.now()): SignatureVerdict {
  const authorization = single(request.headers["authorization"]);
  const presigned = request.query["X-Amz-Algorithm"] !== undefined || request.query["X-Amz-Signature"] !== undefined;
  if (authorization !== undefined && presigned) {
    return refuse(400, "InvalidArgument", "Only one auth mechanism allowed: the X-Amz-Algorithm query parameter or the Authorization header");
  }
  const claim = authorization !== undefined ? headerClaim(authorization, request, now) : presigned ? queryClaim(request, now) : anonymous(request);
  if ("valid" in claim) return claim;

  const [accessKeyId, shortDate, region, service, terminator, ...rest] = claim.credential.split("/");
  if (rest.length > 0 || !shortDate || !region || service !== "s3" || terminator !== "aws4_request" || shortDate !== claim.longDate.slice(0, 8)) {
    return refuse(400, "AuthorizationHeaderMalformed", "The credential must be <access key>/<yyyymmdd of the request's date>/<region>/s3/aws4_request");
  }
  if (accessKeyId !== credentials.accessKeyId) return refuse(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");

  const names = claim.signedHeaders.split(";");
  if (!names.includes("host")) return refuse(400, "AuthorizationHeaderMalformed", "The signed headers must include host");
  const signed: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value === undefined) return mismatch();
    signed[name] = typeof value === "string" ? value : value.join(",");
  }
  const headers = getCanonicalHeaders(httpRequest({ headers: signed }), undefined, new Set(names));
  const sorted = Object.keys(headers).sort();
  const canonicalRequest = [
    request.method,
    request.path,
    getCanonicalQuery(httpRequest({ query: definedValues(request.query) })),
    ...sorted.map((name) => `${name}:${headers[name]}`),
    "",
    sorted.join(";"),
    claim.payloadHash,
  ].join("\n");
  const scope = createScope(shortDate, region, service);
  const stringToSign = [ALGORITHM_IDENTIFIER, claim.longDate, scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  let key: Buffer = createHmac("sha256", `AWS4${credentials.secretAccessKey}`).update(shortDate).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const expected = Buffer.from(createHmac("sha256", key).update(stringToSign).digest("hex"));
  const given = Buffer.from(claim.signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { valid: true } : mismatch();
}

function headerClaim(authorization: string, request: SignedRequest, now: number): Claim | SignatureVerdict {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization.trim());
  if (!match) {
    if (/^AWS /.test(authorization)) return refuse(403, "AccessDenied", "Only AWS Signature Version 4 is accepted");
    return refuse(400, "AuthorizationHeaderMalformed", "The Authorization header must be AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…");
  }
  const longDate = single(request.headers["x-amz-date"]);
  const time = longDate === undefined ? Number.NaN : dateOf(longDate);
  if (Number.isNaN(time)) return refuse(403, "AccessDenied", "AWS authentication requires a valid x-amz-date header (yyyyMMddTHHmmssZ)");
  if (Math.abs(now - time) > MAX_CLOCK_SKEW_MS) return refuse(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
  const payloadHash = single(request.headers["x-amz-content-sha256"]);
  if (payloadHash === undefined) return refuse(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  return { credential: match[1]!, signedHeaders: match[2]!, signature: match[3]!, longDate: longDate!, payloadHash };
}

function queryClaim(request: SignedRequest, now: number): Claim | SignatureVerdict {
  const [algorithm, credential, longDate, expires, signedHeaders, signature] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
  ].map((name) => single(request.query[name]));
  if (algorithm !== ALGORITHM_IDENTIFIER || !credential || !longDate || !expires || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
    return refuse(
      400,
      "AuthorizationQueryParametersError",
      "Query-string authentication version 4 requires the X-Amz-Algorithm (AWS4-HMAC-SHA256), X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  const time = dateOf(longDate);
  const seconds = Number(expires);
  if (Number.isNaN(time) || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGNED_SECONDS) {
    return refuse(400, "AuthorizationQueryParametersError", `X-Amz-Date must be yyyyMMddTHHmmssZ and X-Amz-Expires a whole number of seconds from 1 to ${MAX_PRESIGNED_SECONDS}`);
  }
  if (now > time + seconds * 1000) return refuse(403, "AccessDenied", "Request has expired");
  if (now < time - MAX_CLOCK_SKEW_MS) return refuse(403, "AccessDenied", "Request is not valid yet");
  return { credential, longDate, signedHeaders, signature, payloadHash: single(request.query["X-Amz-Content-Sha256"]) ?? UNSIGNED_PAYLOAD };
}

function anonymous(request: SignedRequest): SignatureVerdict {
  const v2 = request.query["Signature"] !== undefined || request.query["AWSAccessKeyId"] !== undefined;
  return refuse(403, "AccessDenied", v2 ? "Only AWS Signature Version 4 is accepted" : "Access Denied: requests must be signed (AWS Signature Version 4)");
}

/** `yyyyMMddTHHmmssZ` to epoch milliseconds; NaN when it is not one. */
function dateOf(longDate: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(longDate);
  return match ? Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`) : Number.NaN;
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === "string" ? value : value?.[0];
}

function definedValues(query: SignedRequest["query"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) out[name] = typeof value === "string" ? value : [...value];
  return out;
}

/** The request shape the @smithy helpers take; they read only `headers` or `query`. */
function httpRequest(part: { headers?: Record<string, string>; query?: Record<string, string | string[]> }) {
  return { method: "", protocol: "http:", hostname: "", path: "", headers: {}, query: {}, ...part };
}

function mismatch(): SignatureVerdict {
  return refuse(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
}

function refuse(status: number, code: string, message: string): SignatureVerdict {
  return { valid: false, status, code, message };
}
