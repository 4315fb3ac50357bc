/**
 * A run response over 6 MB, when the request asked for it (the client always does), carries some
 * images as `{"type": "url", "value": <presigned GET>}` and says how many in the
 * X-Cvflow-Offloaded-Images header. The client fetches them back, a few at a time, and puts
 * them in place as `{"type": "base64", "value"}`, so that a caller sees the same outputs as for
 * a small response.
 */
import { CvflowError } from "./errors.js";
import { isRecord } from "./is-record.js";

export const LARGE_RESPONSE_HEADER = "x-cvflow-large-response";
export const OFFLOADED_IMAGES_HEADER = "x-cvflow-offloaded-images";
/** Downloads at once; each is up to 20 MB. */
const CONCURRENCY = 4;

interface OffloadedImage {
  holder: Record<string, unknown>;
  url: string;
  pointer: string;
}

export type FetchBytes = (url: string, what: string) => Promise<Uint8Array>;

/** Replaces, in a run's `outputs`, each offloaded image by its bytes in base64; a failed download is a CvflowError naming the output. */
export async function resolveOffloadedImages(outputs: unknown, headers: Headers, fetchBytes: FetchBytes): Promise<void> {
  if (!headers.has(OFFLOADED_IMAGES_HEADER)) return;
  const queue = offloadedImages(outputs, "/outputs");
  const worker = async (): Promise<void> => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      let bytes: Uint8Array;
      try {
        bytes = await fetchBytes(image.url, `the offloaded image at ${image.pointer} (${withoutQuery(image.url)})`);
      } catch (error) {
        queue.length = 0; // the call fails: the other workers stop after their current download
        throw error;
      }
      image.holder["type"] = "base64";
      image.holder["value"] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function offloadedImages(value: unknown, pointer: string, found: OffloadedImage[] = []): OffloadedImage[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => offloadedImages(item, `${pointer}/${i}`, found));
  } else if (isRecord(value)) {
    if (value["type"] === "url" && typeof value["value"] === "string") found.push({ holder: value, url: value["value"], pointer });
    else for (const [key, item] of Object.entries(value)) offloadedImages(item, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, found);
  }
  return found;
}

/** A presigned URL's query is its signature: not for error messages. */
export function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "an invalid URL";
  }
}

export function downloadFailed(what: string, status: number, excerpt: string): CvflowError {
  return new CvflowError("download_failed", `The download of ${what} answered ${status}${excerpt ? `: ${excerpt}` : ""}`, status);
}
