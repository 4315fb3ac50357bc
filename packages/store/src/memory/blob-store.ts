/**
 * BlobStore in memory, with the S3 store's contract. Its URLs are presigned as the S3 store
 * presigns them (same keys, lifetimes and checks), for an endpoint that does not exist: nothing
 * can fetch them. `objects` shows what was put.
 */
import { imageTooLarge } from "@cvflow/engine";
import { createS3Client } from "../s3-client.js";
import { S3BlobStore } from "../blob-store.js";
import { objectNotFound } from "../errors.js";
import type { BlobStore } from "../types.js";

/** Where the presigned URLs point: a name that resolves nowhere. */
export const MEMORY_BLOB_ENDPOINT = "http://s3.test";

export class MemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();
  readonly #presigner: S3BlobStore;

  constructor(readonly bucket = "cvflow-test") {
    const client = createS3Client({ endpoint: MEMORY_BLOB_ENDPOINT, region: "us-east-1", credentials: { accessKeyId: "memory", secretAccessKey: "memory" } });
    this.#presigner = new S3BlobStore(client, bucket);
  }

  presignUpload(workspace: string, contentType: string, ttlSeconds?: number): Promise<{ url: string; key: string; reference: string; expiresAt: string }> {
    return this.#presigner.presignUpload(workspace, contentType, ttlSeconds);
  }

  presignGet(key: string, ttlSeconds?: number): Promise<string> {
    return this.#presigner.presignGet(key, ttlSeconds);
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { body: Uint8Array.from(body), contentType });
  }

  async get(bucket: string, key: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    const object = bucket === this.bucket ? this.objects.get(key) : undefined;
    if (!object) throw objectNotFound(bucket, key);
    if (object.body.length > maxBytes) throw imageTooLarge(object.body.length, maxBytes);
    return Uint8Array.from(object.body);
  }
}
