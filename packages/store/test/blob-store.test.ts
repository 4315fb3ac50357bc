import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3BlobStore } from "../src/index.js";
import { startLocalBucket, type LocalBucket } from "./local-s3.js";

let local: LocalBucket;
let blobs: S3BlobStore;

beforeAll(async () => {
  local = await startLocalBucket();
  blobs = new S3BlobStore(local.client, local.bucket);
});
afterAll(async () => {
  await local.close();
});

describe("S3BlobStore", () => {
  it("presigns an upload that fetch can PUT to, and reads it back under a byte cap", async () => {
    const before = Date.now();
    const upload = await blobs.presignUpload("acme", "image/jpeg", 120);
    expect(upload.key).toMatch(/^uploads\/acme\/[0-9a-f-]{36}$/);
    expect(upload.reference).toBe(`s3://${local.bucket}/${upload.key}`);
    expect(Date.parse(upload.expiresAt) - before).toBeGreaterThanOrEqual(119_000);
    expect(new URL(upload.url).searchParams.get("X-Amz-Expires")).toBe("120");
    expect(upload.url).not.toMatch(/checksum/i);

    const image = randomBytes(200_000);
    const put = await fetch(upload.url, { method: "PUT", body: image, headers: { "content-type": "image/jpeg" } });
    expect(put.status).toBe(200);

    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(upload.reference)!;
    expect(Buffer.from(await blobs.get(bucket!, key!, image.length)).equals(image)).toBe(true);
    await expect(blobs.get(bucket!, key!, image.length - 1)).rejects.toMatchObject({
      code: "object_too_large",
      status: 413,
      details: { bytes: image.length, maxBytes: image.length - 1 },
    });
  });

  it("puts an object and presigns a GET for it", async () => {
    const body = new TextEncoder().encode('{"large":"part"}');
    await blobs.put("results/run-1/part.json", body, "application/json");
    const response = await fetch(await blobs.presignGet("results/run-1/part.json", 60));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe('{"large":"part"}');
  });

  it("is 404 object_not_found for a missing key", async () => {
    await expect(blobs.get(local.bucket, "uploads/missing", 1000)).rejects.toMatchObject({ code: "object_not_found", status: 404 });
  });

  it("stops with the signal's reason when the run is aborted", async () => {
    await blobs.put("uploads/signal", randomBytes(1000), "application/octet-stream");
    const controller = new AbortController();
    const reason = new Error("deadline");
    controller.abort(reason);
    await expect(blobs.get(local.bucket, "uploads/signal", 10_000, controller.signal)).rejects.toBe(reason);
    // A live signal changes nothing.
    expect((await blobs.get(local.bucket, "uploads/signal", 10_000, new AbortController().signal)).length).toBe(1000);
  });

  it("refuses content types that are not media types, and lifetimes out of range", async () => {
    await expect(blobs.presignUpload("acme", "jpeg")).rejects.toMatchObject({ code: "invalid_content_type", status: 400 });
    await expect(blobs.presignUpload("acme", "image/jpeg", 0)).rejects.toMatchObject({ code: "invalid_ttl", status: 400 });
    await expect(blobs.presignUpload("../keys", "image/jpeg")).rejects.toMatchObject({ code: "invalid_workspace", status: 400 });
    await expect(blobs.presignGet("x", 8 * 24 * 3600)).rejects.toMatchObject({ code: "invalid_ttl", status: 400 });
  });

  describe("on a server that does not say the length", () => {
    /** A client whose GetObject answers with `body` and no ContentLength. */
    const streaming = (body: Readable): S3BlobStore => new S3BlobStore({ send: async () => ({ Body: body }) } as unknown as S3Client, "b");

    it("counts the bytes as they come and stops at the cap", async () => {
      const chunks = Array.from({ length: 10 }, () => randomBytes(1000));
      const body = Readable.from(chunks);
      await expect(streaming(body).get("b", "k", 4500)).rejects.toMatchObject({ code: "object_too_large", status: 413, details: { maxBytes: 4500 } });
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
