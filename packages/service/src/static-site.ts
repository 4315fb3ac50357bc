/**
 * The debugger page's built files (packages/ui's Vite build) as the service serves them. The
 * service reads no file system: whoever can read the files gives a StaticSite (the node-side
 * loader `@cvflow/ui/site` on Lambda and in the local stack). They are read the first time they
 * are asked for, each given its content type and ETag; a file's brotli and gzip copies are made
 * once, the first time a client takes that encoding (a fresh process's first page waits for the
 * files it asks for only), and kept for every later request.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

export interface StaticSite {
  /**
   * The built files by their path below the build's root (`index.html`, `assets/index-B1x2.js`),
   * or undefined when the site is not built. Asked until it answers files, then never again.
   */
  files(): Promise<ReadonlyMap<string, Uint8Array> | undefined>;
}

/** The compressed copies a file may have, in the server's order of preference. */
export const ENCODINGS = ["br", "gzip"] as const;
export type Encoding = (typeof ENCODINGS)[number] | "identity";

export interface SiteFile {
  contentType: string;
  /** What it may be sent as: always `identity`, and br and gzip where compressing pays (text of 1 KB or more). */
  encodings: readonly Encoding[];
  /** Each encoding's ETag: another representation, another tag (a cache must not take one encoding's bytes for another's). */
  etag(encoding: Encoding): string;
  /** Its bytes in an encoding: compressed the first time they are asked for. */
  bytes(encoding: Encoding): Promise<Uint8Array>;
}

/** By extension: what Vite writes (scripts, styles, the page, what `public/` holds). */
const CONTENT_TYPES: Record<string, { type: string; compress: boolean }> = {
  html: { type: "text/html; charset=utf-8", compress: true },
  js: { type: "text/javascript; charset=utf-8", compress: true },
  mjs: { type: "text/javascript; charset=utf-8", compress: true },
  css: { type: "text/css; charset=utf-8", compress: true },
  json: { type: "application/json; charset=utf-8", compress: true },
  map: { type: "application/json; charset=utf-8", compress: true },
  txt: { type: "text/plain; charset=utf-8", compress: true },
  svg: { type: "image/svg+xml", compress: true },
  ico: { type: "image/x-icon", compress: true },
  wasm: { type: "application/wasm", compress: true },
  png: { type: "image/png", compress: false },
  jpg: { type: "image/jpeg", compress: false },
  jpeg: { type: "image/jpeg", compress: false },
  gif: { type: "image/gif", compress: false },
  webp: { type: "image/webp", compress: false },
  woff2: { type: "font/woff2", compress: false },
  woff: { type: "font/woff", compress: false },
};
const UNKNOWN = { type: "application/octet-stream", compress: false };

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
/**
 * Brotli at quality 6, not 11: about 30 ms a megabyte instead of 1.3 s (the first request of a
 * fresh process waits for it), for about 13% more bytes than the best; gzip at its default level.
 */
const COMPRESS: Record<Exclude<Encoding, "identity">, (bytes: Uint8Array) => Promise<Uint8Array>> = {
  br: (bytes) => brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength } }),
  gzip: (bytes) => gzipped(bytes),
};
/** Smaller files go as they are: compressing them saves less than a packet. */
const MIN_COMPRESSED_BYTES = 1024;

export class SiteFiles {
  #loading: Promise<ReadonlyMap<string, SiteFile> | undefined> | undefined;

  constructor(private readonly site: StaticSite) {}

  /** The site's files; undefined while it is not built (asked again at the next request: a build may come meanwhile). */
  async files(): Promise<ReadonlyMap<string, SiteFile> | undefined> {
    this.#loading ??= this.site.files().then((files) => files && new Map([...files].map(([path, bytes]) => [path, siteFile(path, bytes)])));
    try {
      const files = await this.#loading;
      if (!files) this.#loading = undefined;
      return files;
    } catch (error) {
      this.#loading = undefined;
      throw error;
    }
  }
}

function siteFile(path: string, identity: Uint8Array): SiteFile {
  const { type, compress } = CONTENT_TYPES[path.slice(path.lastIndexOf(".") + 1).toLowerCase()] ?? UNKNOWN;
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 20);
  const compressed = new Map<Encoding, Promise<Uint8Array>>();
  return {
    contentType: type,
    encodings: compress && identity.byteLength >= MIN_COMPRESSED_BYTES ? ["identity", ...ENCODINGS] : ["identity"],
    etag: (encoding) => (encoding === "identity" ? `"${hash}"` : `"${hash}-${encoding}"`),
    bytes: (encoding) => {
      if (encoding === "identity") return Promise.resolve(identity);
      let bytes = compressed.get(encoding);
      if (!bytes) compressed.set(encoding, (bytes = COMPRESS[encoding](identity)));
      return bytes;
    },
  };
}
