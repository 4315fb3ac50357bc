/** What every BlobStore does (packages/store/src/types.ts), run against each implementation. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/index.js";
import { useStore, type MakeStore } from "./store-under-test.js";

export function describeBlobStoreContract(name: string, makeStore: MakeStore<BlobStore>): void {
  describe(`${name}: the BlobStore contract`, () => {
    let blobs: BlobStore;
    useStore(makeStore, (made) => (blobs = made));

    it("presigns an upload of a workspace: its key, its s3 reference, its lifetime", async () => {
      const before = Date.now();
      const upload = await blobs.presignUpload("acme", "image/jpeg", 120);
      expect(upload.key).toMatch(/^uploads\/acme\/[0-9a-f-]{36}$/);
      expect(upload.reference).toBe(`s3://${blobs.bucket}/${upload.key}`);
      expect(Date.parse(upload.expiresAt) - before).toBeGreaterThanOrEqual(119_000);
      expect(new URL(upload.url).searchParams.get("X-Amz-Expires")).toBe("120");
      expect(upload.url).not.toMatch(/checksum/i);
    });

    it("reads an object back under a byte cap", async () => {
      const image = randomBytes(200_000);
      await blobs.put("uploads/acme/capped", image, "image/jpeg");
      expect(Buffer.from(await blobs.get(blobs.bucket, "uploads/acme/capped", image.length)).equals(image)).toBe(true);
      await expect(blobs.get(blobs.bucket, "uploads/acme/capped", image.length - 1)).rejects.toMatchObject({
        code: "image_too_large",
        status: 413,
        details: { bytes: image.length, max_bytes: image.length - 1 },
      });
    });

    it("is 404 object_not_found for a missing key", async () => {
      await expect(blobs.get(blobs.bucket, "uploads/missing", 1000)).rejects.toMatchObject({ code: "object_not_found", status: 404, details: { bucket: blobs.bucket, key: "uploads/missing" } });
    });

    it("stops with the signal's reason when the run is aborted", async () => {
      await blobs.put("uploads/signal", randomBytes(1000), "application/octet-stream");
      const controller = new AbortController();
      const reason = new Error("deadline");
      controller.abort(reason);
      await expect(blobs.get(blobs.bucket, "uploads/signal", 10_000, controller.signal)).rejects.toBe(reason);
      // A live signal changes nothing.
      expect((await blobs.get(blobs.bucket, "uploads/signal", 10_000, new AbortController().signal)).length).toBe(1000);
    });

    it("refuses content types that are not media types, and lifetimes out of range", async () => {
      await expect(blobs.presignUpload("acme", "jpeg")).rejects.toMatchObject({ code: "invalid_content_type", status: 400 });
      await expect(blobs.presignUpload("acme", "image/jpeg", 0)).rejects.toMatchObject({ code: "invalid_ttl", status: 400 });
      await expect(blobs.presignUpload("../keys", "image/jpeg")).rejects.toMatchObject({ code: "invalid_workspace", status: 400 });
      await expect(blobs.presignGet("x", 8 * 24 * 3600)).rejects.toMatchObject({ code: "invalid_ttl", status: 400 });
    });
  });
}
