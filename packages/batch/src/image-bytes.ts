/** The bytes of one manifest source: `s3://` through the blob store, `http(s)://` through vision's SSRF-safe fetch. */
import type { BlobStore } from "@cvflow/store";
import { DEFAULT_MAX_BYTES, fetchUrl, type UrlPolicy } from "@cvflow/vision";
import { parseS3Url } from "./s3-location.js";

export interface ImageSources {
  blobs: BlobStore;
  /** How URL sources are fetched (allowlist, private origins, timeout). */
  url?: UrlPolicy;
  maxBytes?: number;
}

export async function readImageBytes(source: string, sources: ImageSources, signal: AbortSignal): Promise<Uint8Array> {
  const maxBytes = sources.maxBytes ?? DEFAULT_MAX_BYTES;
  if (/^https?:\/\//i.test(source)) return fetchUrl(source, { ...sources.url, maxBytes, signal });
  const location = parseS3Url(source);
  if (!location) throw new Error(`Not an image source: ${source.slice(0, 100)}`); // the job's validation lets none through
  return sources.blobs.get(location.bucket, location.key, maxBytes, signal);
}
