/**
 * A picked image → what the run request carries: small ones inline as base64, larger ones
 * uploaded first (`POST /uploads`, a presigned PUT; the service reads an upload only with a key of
 * the workspace that made it) and sent as the `{"type": "s3"}` input naming them.
 */
import { CvflowError, INLINE_IMAGES_LIMIT, type CvflowClient } from "@cvflow/sdk";
import { bytesToBase64, type ImageInput } from "@cvflow/wire";
import { formatBytes } from "../format.js";

/** Past this an image goes through /uploads: a request stays small, and a run's record never holds megabytes of base64. */
const UPLOAD_ABOVE_BYTES = 1024 * 1024;

interface WireImage {
  input: ImageInput;
  /** Said to the person when the image could not go the way it should have. */
  note?: string;
}

export async function wireImage(client: CvflowClient, blob: Blob, label: string): Promise<WireImage> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (bytes.length <= UPLOAD_ABOVE_BYTES) return { input: { type: "base64", value: bytesToBase64(bytes) } };
  try {
    return { input: await client.uploadImage(bytes, blob.type || undefined) };
  } catch (error) {
    // No HTTP answer at all: the browser could not reach the bucket, or was not let in (the
    // bucket's CORS rules do not name this page's origin). Inline still works up to the request's limit.
    const unreachable = error instanceof CvflowError && error.status === 0;
    if (!unreachable || 4 * Math.ceil(bytes.length / 3) > INLINE_IMAGES_LIMIT) throw error;
    return {
      input: { type: "base64", value: bytesToBase64(bytes) },
      note: `${label} (${formatBytes(bytes.length)}) could not be uploaded (${error.message}); it was sent inline instead.`,
    };
  }
}
