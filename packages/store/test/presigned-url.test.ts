/**
 * isPresignedGetUrl (with verifySigV4 under it): true only for a GET URL the SDK presigned with
 * the issuer's key pair, for the issuer's endpoint and bucket, not yet expired and not altered.
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, describe, expect, it } from "vitest";
import { createS3Client, isPresignedGetUrl } from "../src/index.js";

const issuer = { endpoint: "http://127.0.0.1:4568", bucket: "cvflow-local", credentials: { accessKeyId: "S3RVER", secretAccessKey: "the-secret" } };
const client = createS3Client({ endpoint: issuer.endpoint, region: "us-east-1", credentials: issuer.credentials });
const stranger = createS3Client({ endpoint: issuer.endpoint, region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
afterAll(() => {
  client.destroy();
  stranger.destroy();
});

const presignedGet = (key: string, options: { signingDate?: Date; expiresIn?: number } = {}, by = client) =>
  getSignedUrl(by, new GetObjectCommand({ Bucket: issuer.bucket, Key: key }), { expiresIn: 900, ...options });

describe("isPresignedGetUrl", () => {
  it("accepts the issuer's presigned GET URLs, keys with spaces and non-ASCII characters too", async () => {
    expect(isPresignedGetUrl(new URL(await presignedGet("responses/run/image.jpg")), issuer)).toBe(true);
    expect(isPresignedGetUrl(new URL(await presignedGet("uploads/demo/a b+ü.jpg")), issuer)).toBe(true);
  });

  it("refuses unsigned, altered, foreign, PUT-signed, other-bucket and other-origin URLs", async () => {
    const url = await presignedGet("uploads/demo/1.jpg");
    expect(isPresignedGetUrl(new URL(url.split("?")[0]!), issuer)).toBe(false);
    expect(isPresignedGetUrl(new URL(url.replace("/uploads/demo/1.jpg?", "/keys/abc.json?")), issuer)).toBe(false);
    expect(isPresignedGetUrl(new URL(url.replace("X-Amz-Expires=900", "X-Amz-Expires=604800")), issuer)).toBe(false);
    expect(isPresignedGetUrl(new URL(await presignedGet("uploads/demo/1.jpg", {}, stranger)), issuer)).toBe(false);
    const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: issuer.bucket, Key: "uploads/demo/1.jpg" }), { expiresIn: 900 });
    expect(isPresignedGetUrl(new URL(put), issuer)).toBe(false);
    expect(isPresignedGetUrl(new URL(url), { ...issuer, bucket: "other-bucket" })).toBe(false);
    expect(isPresignedGetUrl(new URL(url.replace(":4568", ":4569")), issuer)).toBe(false);
    expect(isPresignedGetUrl(new URL(url), { ...issuer, endpoint: "http://127.0.0.1:4569" })).toBe(false);
  });

  it("refuses an expired URL (a controlled clock: signed at t, valid until t + expiresIn)", async () => {
    const signedAt = new Date("2030-01-01T00:00:00Z");
    const url = new URL(await presignedGet("uploads/demo/1.jpg", { signingDate: signedAt, expiresIn: 60 }));
    expect(isPresignedGetUrl(url, issuer, signedAt.getTime() + 60_000)).toBe(true);
    expect(isPresignedGetUrl(url, issuer, signedAt.getTime() + 60_001)).toBe(false);
  });
});
