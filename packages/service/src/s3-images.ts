/**
 * The engine's reader of `{"type": "s3"}` image inputs: only uploads in the service's own bucket,
 * so that a request cannot make the function read other objects its role may reach (workflows,
 * keys, other buckets), and only the caller's workspace's uploads (`uploads/<workspace>/…`), so
 * that knowing another workspace's upload id reads nothing.
 *
 * The engine calls the reader with the bucket and key alone; the workspace of the run it reads
 * for comes with the run's async context (`asWorkspace`, set by the run use case).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { uploadsOf, UPLOADS_PREFIX, type BlobStore } from "@cvflow/store";
import { DEFAULT_MAX_BYTES, type FetchS3 } from "@cvflow/vision";
import { forbidden } from "./errors.js";

const runWorkspace = new AsyncLocalStorage<string | undefined>();

/** Runs `work` (a run) for `workspace`'s caller: its s3 inputs may be that workspace's uploads; none for undefined (no credential). */
export function asWorkspace<T>(workspace: string | undefined, work: () => Promise<T>): Promise<T> {
  return runWorkspace.run(workspace, work);
}

export function uploadedImages(blobs: BlobStore, maxBytes = DEFAULT_MAX_BYTES): FetchS3 {
  return async (bucket, key, signal) => {
    if (bucket !== blobs.bucket || !key.startsWith(UPLOADS_PREFIX) || key.includes("..")) {
      throw forbidden(`Image inputs of type s3 must be uploads made with POST /uploads (s3://${blobs.bucket}/${UPLOADS_PREFIX}…)`, { bucket, key });
    }
    const workspace = runWorkspace.getStore();
    if (workspace === undefined || !key.startsWith(uploadsOf(workspace))) {
      const whose = workspace === undefined ? "a request without an API key or workflow token" : `workspace "${workspace}"`;
      throw forbidden(`s3://${bucket}/${key} is not an upload of ${whose}: a run reads only uploads made with a key of its caller's workspace`, {
        bucket,
        key,
        ...(workspace === undefined ? {} : { workspace }),
      });
    }
    return blobs.get(bucket, key, maxBytes, signal);
  };
}
