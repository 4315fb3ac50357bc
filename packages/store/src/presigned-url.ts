/**
 * Whether a URL is one of the presigned GET addresses a service issued for its own bucket: for a
 * local S3 server on loopback, an image URL may reach it only so (see UrlPolicy.allowPrivate in
 * @cvflow/vision) — anything else there (other objects, unsigned or foreign addresses) is refused
 * like any private address.
 */
import { verifySigV4, type SigV4Credentials } from "./sigv4-verify.js";

export interface PresignedUrlIssuer {
  /** The S3 endpoint's URL, e.g. `http://127.0.0.1:4568`. */
  endpoint: string;
  bucket: string;
  credentials: SigV4Credentials;
}

export function isPresignedGetUrl(url: URL, issuer: PresignedUrlIssuer, now = Date.now()): boolean {
  if (url.origin !== new URL(issuer.endpoint).origin || !url.pathname.startsWith(`/${encodeURIComponent(issuer.bucket)}/`)) return false;
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(typeof seen === "string" ? [seen] : seen), value];
  }
  // The GET a fetcher sends: no headers of its own are signed, only the host.
  const request = { method: "GET", path: url.pathname, query, headers: { host: url.host } };
  return query["X-Amz-Signature"] !== undefined && verifySigV4(request, issuer.credentials, now).valid;
}
