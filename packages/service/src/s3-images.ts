/**
 * The engine's reader of `{"type": "s3"}` image inputs: only uploads in the service's own bucket,
 * so that a request cannot make the function read other objects its role may reach (workflows,
 * keys, other buckets).
 */
import { UPLOADS_PREFIX, type BlobStore } from "@cvflow/store";
import { DEFAULT_MAX_BYTES, type FetchS3 } from "@cvflow/vision";
import { forbidden } from "./errors.js";

export function uploadedImages(blobs: BlobStore, maxBytes = DEFAULT_MAX_BYTES): FetchS3 {
  return async (bucket, key, signal) => {
    if (bucket !== blobs.bucket || !key.startsWith(UPLOADS_PREFIX) || key.includes("..")) {
      throw forbidden(`Image inputs of type s3 must be uploads made with POST /uploads (s3://${blobs.bucket}/${UPLOADS_PREFIX}…)`, { bucket, key });
    }
    return blobs.get(bucket, key, maxBytes, signal);
  };
}
