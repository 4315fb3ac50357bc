/**
 * The local S3 server takes signed requests only (AWS Signature Version 4, header or presigned
 * query), signed with its data folder's own secret: anonymous requests, another secret, Signature
 * Version 2 and altered or expired presigned URLs are 403 in S3's XML form.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createS3Client } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server } from "../src/index.js";
import { startLocalS3, type LocalS3 } from "./s3-fixture.js";

const BUCKET = "cvflow-auth-test";
let s3: LocalS3;
let client: S3Client;
let stranger: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  client = s3.client;
  stranger = createS3Client({ endpoint: s3.server.endpoint, region: s3.server.region, credentials: { ...s3.server.credentials, secretAccessKey: "not-the-secret" } });
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "existing.txt", Body: "kept", ContentType: "text/plain" }));
});
afterAll(async () => {
  stranger.destroy();
  await s3.close();
});

/** An S3 XML error's status and <Code>. */
async function xmlError(response: Response): Promise<{ status: number; code: string | undefined }> {
  const text = await response.text();
  expect(response.headers.get("content-type")).toMatch(/xml/);
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] };
}

async function s3Error(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const error = await promise.then(
    () => expect.fail("expected the request to fail"),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return { name: (error as S3ServiceException).name, status: (error as S3ServiceException).$metadata.httpStatusCode };
}

async function exists(key: string): Promise<boolean> {
  try {
    await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as S3ServiceException).name === "NoSuchKey") return false;
    throw error;
  }
}

describe("anonymous requests", () => {
  it("are refused 403 AccessDenied: PUT (a key record), GET, LIST, DELETE", async () => {
    const keyRecord = `keys/${createHash("sha256").update("cvf_minted").digest("hex")}.json`;
    const base = `${s3.server.endpoint}/${BUCKET}`;
    const put = await fetch(`${base}/${keyRecord}`, { method: "PUT", body: '{"workspace":"demo","scopes":["workflow:run"]}' });
    expect(await xmlError(put)).toEqual({ status: 403, code: "AccessDenied" });
    expect(await xmlError(await fetch(`${base}/existing.txt`))).toEqual({ status: 403, code: "AccessDenied" });
    expect(await xmlError(await fetch(`${base}?list-type=2`))).toEqual({ status: 403, code: "AccessDenied" });
    expect(await xmlError(await fetch(`${s3.server.endpoint}/`))).toEqual({ status: 403, code: "AccessDenied" });
    expect(await xmlError(await fetch(`${base}/existing.txt`, { method: "DELETE" }))).toEqual({ status: 403, code: "AccessDenied" });

    expect(await exists(keyRecord)).toBe(false);
    expect(await exists("existing.txt")).toBe(true);
  });

  it("refuses Signature Version 2 and a made-up V4 header (s3rver would take both)", async () => {
    const v2 = await fetch(`${s3.server.endpoint}/${BUCKET}/existing.txt?AWSAccessKeyId=S3RVER&Expires=9999999999&Signature=abc`);
    expect(await xmlError(v2)).toEqual({ status: 403, code: "AccessDenied" });
    const date = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const forged = await fetch(`${s3.server.endpoint}/${BUCKET}/existing.txt`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${date.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${"0".repeat(64)}`,
        "x-amz-date": date,
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      },
    });
    expect(await xmlError(forged)).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
  });
});

describe("signed requests", () => {
  it("with another secret are refused 403 SignatureDoesNotMatch, and write nothing", async () => {
    expect(await s3Error(stranger.send(new PutObjectCommand({ Bucket: BUCKET, Key: "stranger.txt", Body: "x" })))).toEqual({ name: "SignatureDoesNotMatch", status: 403 });
    expect(await s3Error(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: "existing.txt" })))).toEqual({ name: "SignatureDoesNotMatch", status: 403 });
    expect(await s3Error(stranger.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toEqual({ name: "SignatureDoesNotMatch", status: 403 });
    expect(await exists("stranger.txt")).toBe(false);
  });

  it("with the server's key pair put, get and list", async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "signed/a b+ü.txt", Body: "signed" }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "signed/a b+ü.txt" }));
    expect(await got.Body!.transformToString()).toBe("signed");
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "signed/" }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(["signed/a b+ü.txt"]);
  });
});

describe("presigned URLs", () => {
  it("PUT and GET work with fetch, as the SDK's upload flow uses them", async () => {
    const putUrl = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: "presigned/up.jpg", ContentType: "image/jpeg" }), { expiresIn: 60 });
    expect((await fetch(putUrl, { method: "PUT", body: "jpeg bytes", headers: { "content-type": "image/jpeg" } })).status).toBe(200);
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: "presigned/up.jpg" }), { expiresIn: 60 });
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("jpeg bytes");
  });

  it("are refused when another key, method or secret is used, or when they have expired", async () => {
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: "existing.txt" }), { expiresIn: 60 });
    const otherKey = getUrl.replace("/existing.txt?", "/presigned/up.jpg?");
    expect(await xmlError(await fetch(otherKey))).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
    expect(await xmlError(await fetch(getUrl, { method: "PUT", body: "overwrite" }))).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
    const foreign = await getSignedUrl(stranger, new GetObjectCommand({ Bucket: BUCKET, Key: "existing.txt" }), { expiresIn: 60 });
    expect(await xmlError(await fetch(foreign))).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
    const expired = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: "existing.txt" }), { expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000) });
    expect(await xmlError(await fetch(expired))).toEqual({ status: 403, code: "AccessDenied" });
    expect(await (await fetch(getUrl)).text()).toBe("kept");
  });
});

describe("the key pair", () => {
  it("is the data folder's: kept across restarts (owner-only file), another folder has another secret", async () => {
    const dirs = [await mkdtemp(join(tmpdir(), "cvflow-s3-a-")), await mkdtemp(join(tmpdir(), "cvflow-s3-b-"))];
    try {
      const first = await startS3Server({ bucket: BUCKET, dataDir: dirs[0]!, port: 0 });
      await first.stop();
      const again = await startS3Server({ bucket: BUCKET, dataDir: dirs[0]!, port: 0 });
      await again.stop();
      const other = await startS3Server({ bucket: BUCKET, dataDir: dirs[1]!, port: 0 });
      await other.stop();
      expect(again.credentials).toEqual(first.credentials);
      expect(other.credentials.secretAccessKey).not.toBe(first.credentials.secretAccessKey);
      expect(first.credentials.secretAccessKey).not.toBe("S3RVER");
      const file = join(dirs[0]!, "local-secrets.json");
      expect(JSON.parse(await readFile(file, "utf8")).s3SecretAccessKey).toBe(first.credentials.secretAccessKey);
      expect(statSync(file).mode & 0o077).toBe(0);
    } finally {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  });
});
