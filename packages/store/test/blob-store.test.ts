/**
 * The BlobStore contract on S3BlobStore and the in-memory store, and what only the S3 one does:
 * its presigned URLs work (fetch can PUT and GET them), and it counts a streamed body's bytes.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import type { LocalS3 } from "@cvflow/local/s3-fixture";
import { S3BlobStore } from "../src/index.js";
import { MemoryBlobStore } from "../src/memory/index.js";
import { describeBlobStoreContract } from "./contract/blob-store-contract.js";
import { useStore } from "./contract/store-under-test.js";
import { onLocalBucket } from "./local-s3.js";

describeBlobStoreContract("S3BlobStore", onLocalBucket((local) => new S3BlobStore(local.client, local.bucket)));

describeBlobStoreContract("MemoryBlobStore", async () => ({ store: new MemoryBlobStore(), close: async () => {} }));

describe("S3BlobStore", () => {
  let local: LocalS3;
  let blobs: S3BlobStore;
  useStore(onLocalBucket((bucket) => bucket), (bucket) => {
    local = bucket;
    blobs = new S3BlobStore(local.client, local.bucket);
  });

  it("presigns an upload that fetch can PUT to, and the bytes put are the object's", async () => {
    const upload = await blobs.presignUpload("acme", "image/jpeg", 120);
    const image = randomBytes(200_000);
    const put = await fetch(upload.url, { method: "PUT", body: image, headers: { "content-type": "image/jpeg" } });
    expect(put.status).toBe(200);

    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(upload.reference)!;
    expect(Buffer.from(await blobs.get(bucket!, key!, image.length)).equals(image)).toBe(true);
  });

  it("puts an object and presigns a GET for it", async () => {
    const body = new TextEncoder().encode('{"large":"part"}');
    await blobs.put("results/run-1/part.json", body, "application/json");
    const response = await fetch(await blobs.presignGet("results/run-1/part.json", 60));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe('{"large":"part"}');
  });

  describe("on a server that does not say the length", () => {
    /** A client whose GetObject answers with `body` and no ContentLength. */
    const streaming = (body: Readable): S3BlobStore => new S3BlobStore({ send: async () => ({ Body: body }) } as unknown as S3Client, "b");

    it("counts the bytes as they come and stops at the cap", async () => {
      const chunks = Array.from({ length: 10 }, () => randomBytes(1000));
      const body = Readable.from(chunks);
      await expect(streaming(body).get("b", "k", 4500)).rejects.toMatchObject({ code: "image_too_large", status: 413, details: { max_bytes: 4500 } });
      expect(body.destroyed).toBe(true);
      expect((await streaming(Readable.from(chunks)).get("b", "k", 10_000)).length).toBe(10_000);
    });

    it("stops a read that stalls when the signal aborts", async () => {
      const stalled = new Readable({ read() {} });
      stalled.push(randomBytes(100));
      const controller = new AbortController();
      const reason = new Error("deadline");
      setTimeout(() => controller.abort(reason), 20);
      await expect(streaming(stalled).get("b", "k", 10_000, controller.signal)).rejects.toBe(reason);
      expect(stalled.destroyed).toBe(true);
    });
  });
});
