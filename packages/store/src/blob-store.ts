/**
 * Objects other than workflows: uploads (presigned PUT under `uploads/<workspace>/`), large
 * response parts, and the s3 image inputs of runs, read with a byte cap and the run's signal.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { imageTooLarge, readCapped } from "@cvflow/engine";
import { invalidContentType, invalidTtl, objectNotFound } from "./errors.js";
import { checkWorkspace } from "./names.js";
import { isNotFound } from "./s3-objects.js";
import type { BlobStore } from "./types.js";

export const UPLOADS_PREFIX = "uploads/";

/** Where a workspace's uploads are: only its runs may read them. */
export function uploadsOf(workspace: string): string {
  return `${UPLOADS_PREFIX}${workspace}/`;
}
const DEFAULT_UPLOAD_TTL_SECONDS = 900;
const DEFAULT_GET_TTL_SECONDS = 3600;
/** SigV4 presigned URLs live at most 7 days. */
const MAX_TTL_SECONDS = 7 * 24 * 3600;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;

  constructor(
    client: S3Client,
    readonly bucket: string,
  ) {
    this.#client = client;
  }

  /** The uploader names the Content-Type in its PUT: the URL signs only the host, and S3 keeps the type the PUT sends. */
  async presignUpload(workspace: string, contentType: string, ttlSeconds = DEFAULT_UPLOAD_TTL_SECONDS): Promise<{ url: string; key: string; reference: string; expiresAt: string }> {
    checkWorkspace(workspace);
    if (typeof contentType !== "string" || !CONTENT_TYPE.test(contentType)) {
      throw invalidContentType(contentType);
    }
    const ttl = checkedTtl(ttlSeconds);
    const key = uploadsOf(workspace) + randomUUID();
    const url = await getSignedUrl(this.#client, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }), { expiresIn: ttl });
    return { url, key, reference: `s3://${this.bucket}/${key}`, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.#client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async presignGet(key: string, ttlSeconds = DEFAULT_GET_TTL_SECONDS): Promise<string> {
    return getSignedUrl(this.#client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: checkedTtl(ttlSeconds) });
  }

  /** An aborted `signal` rejects with its reason (the run's deadline or cancellation), as fetch does. */
  async get(bucket: string, key: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
    let object;
    try {
      object = await this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
    } catch (error) {
      signal?.throwIfAborted();
      if (isNotFound(error)) throw objectNotFound(bucket, key);
      throw error;
    }
    const body = object.Body;
    if (!(body instanceof Readable)) throw new Error(`GetObject s3://${bucket}/${key} gave no Node.js stream`);
    return readCapped(body, { maxBytes, declaredBytes: object.ContentLength, tooLarge: (declared) => imageTooLarge(declared, maxBytes), signal });
  }
}

function checkedTtl(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw invalidTtl(ttlSeconds, MAX_TTL_SECONDS);
  }
  return ttlSeconds;
}
