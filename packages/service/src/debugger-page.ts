/**
 * The debugger page as the service answers it: its files (static-site.ts) and the headers they go
 * out with. The page asks no outside host: its Content-Security-Policy allows this origin only,
 * and the S3 origin the page meets in two ways — images of results and inputs given as presigned
 * URLs (`img-src`), and uploads the browser PUTs to a presigned URL (`connect-src`). That origin
 * is the one this service's presigned URLs name (on AWS the bucket's, locally the S3 server's
 * loopback port): read off one presigned URL, made without a request.
 */
import type { BlobStore } from "@cvflow/store";
import { chooseEncoding } from "./content-negotiation.js";
import type { BytesResponse, ServiceRequest } from "./http.js";
import { ENCODINGS, SiteFiles, type SiteFile, type StaticSite } from "./static-site.js";

/** Vite names what it writes under assets/ by their content's hash: a name never holds other bytes. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** The page itself (and any file not named by its hash) is checked each time: a new build shows at once. */
const REVALIDATE = "no-cache";

export class DebuggerPage {
  readonly files: SiteFiles;
  #policy: Promise<string> | undefined;

  constructor(
    site: StaticSite,
    private readonly blobs: Pick<BlobStore, "presignGet">,
  ) {
    this.files = new SiteFiles(site);
  }

  /** The page's Content-Security-Policy. */
  contentSecurityPolicy(): Promise<string> {
    this.#policy ??= this.blobs.presignGet("csp-origin-probe", 60).then((url) => contentSecurityPolicy(new URL(url).origin));
    return this.#policy;
  }

  /**
   * The file's answer: the encoding the client takes best, its caching, its security headers;
   * 304 when `If-None-Match` names the ETag of what would be sent.
   */
  async answer(request: ServiceRequest, path: string, file: SiteFile, headers: Record<string, string> = {}): Promise<BytesResponse> {
    const available = ENCODINGS.filter((encoding) => file.encodings.includes(encoding));
    const encoding = chooseEncoding(request.headers["accept-encoding"], available);
    const etag = file.etag(encoding);
    const caching = { etag, "cache-control": path.startsWith("assets/") ? IMMUTABLE : REVALIDATE, vary: ["accept-encoding", headers["vary"]].filter(Boolean).join(", ") };
    if (matchesEtag(request.headers["if-none-match"], etag)) return { statusCode: 304, headers: caching, bytes: new Uint8Array() };
    const isHtml = file.contentType.startsWith("text/html");
    return {
      statusCode: 200,
      headers: {
        ...headers,
        ...caching,
        "content-type": file.contentType,
        ...(encoding === "identity" ? {} : { "content-encoding": encoding }),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        ...(isHtml ? { "content-security-policy": await this.contentSecurityPolicy() } : {}),
      },
      bytes: await file.bytes(encoding),
    };
  }
}

/**
 * Styles may be inline (CodeMirror injects its own); images may be data: and blob: URLs (inputs
 * picked or drawn in the page); media blob: (the webcam's stream). No plugin, no framing, no base
 * or form target elsewhere.
 */
export function contentSecurityPolicy(s3Origin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${s3Origin}`,
    `connect-src 'self' ${s3Origin}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** `If-None-Match` (a list of ETags, or `*`) against the ETag of what would be sent: weak comparison, as for GET. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  return tags.includes("*") || tags.includes(etag);
}
