/**
 * A run response over 6 MB, when the request asked for it (the client always does), carries some
 * images as `{"type": "url", "value": <presigned GET>}` and says how many in the
 * X-Cvflow-Offloaded-Images header. The client fetches them back, a few at a time, and puts
 * them in place as `{"type": "base64", "value"}`, so that a caller sees the same outputs as for
 * a small response.
 */
import { bytesToBase64, findImageValues, OFFLOADED_IMAGES_HEADER } from "@cvflow/wire";

/** Downloads at once; each is up to 20 MB. */
const CONCURRENCY = 4;

export type FetchBytes = (url: string, what: string) => Promise<Uint8Array>;

/** Replaces, in a run's `outputs`, each offloaded image by its bytes in base64; a failed download is a CvflowError naming the output. */
export async function resolveOffloadedImages(outputs: unknown, headers: Headers, fetchBytes: FetchBytes): Promise<void> {
  if (!headers.has(OFFLOADED_IMAGES_HEADER)) return;
  const queue = findImageValues(outputs, "url");
  const worker = async (): Promise<void> => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      let bytes: Uint8Array;
      try {
        bytes = await fetchBytes(image.value, `the offloaded image at ${jsonPointer(["outputs", ...image.path])} (${withoutQuery(image.value)})`);
      } catch (error) {
        queue.length = 0; // the call fails: the other workers stop after their current download
        throw error;
      }
      image.holder["type"] = "base64";
      image.holder["value"] = bytesToBase64(bytes);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function jsonPointer(path: readonly string[]): string {
  return path.map((key) => `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
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
