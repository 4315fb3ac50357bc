/**
 * A run's stored inputs as a browser can show them (GET /runs/{run_id}/inputs): base64 and URL
 * images as they are; uploads — `{"type": "s3"}` under the run's workspace's `uploads/` — as
 * `{"type": "url"}` presigned GETs, the service's own way of lending an object (fit-response.ts
 * does the same for large outputs). Any other s3 input stays as it was given: the run could not
 * read it either (s3-images.ts), and the service presigns nothing else.
 */
import { uploadsOf, type BlobStore } from "@cvflow/store";
import { findImageValues } from "@cvflow/wire";

/** Replaces, in `inputs` (a copy the caller owns), each upload of `workspace` by a presigned GET URL. */
export async function presignUploadedInputs(inputs: Record<string, unknown>, blobs: BlobStore, workspace: string): Promise<Record<string, unknown>> {
  const uploads = uploadsOf(workspace);
  const bucketPrefix = `s3://${blobs.bucket}/`;
  await Promise.all(
    findImageValues(inputs, "s3").map(async (image) => {
      const key = image.value.startsWith(bucketPrefix) ? image.value.slice(bucketPrefix.length) : undefined;
      if (key === undefined || !key.startsWith(uploads) || key.includes("..")) return;
      image.holder["type"] = "url";
      image.holder["value"] = await blobs.presignGet(key);
    }),
  );
  return inputs;
}
