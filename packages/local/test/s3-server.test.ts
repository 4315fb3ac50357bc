/**
 * The local S3 server against @aws-sdk/client-s3 configured as cvflow configures it: the object
 * operations, presigned URLs, S3's conditional writes (which s3rver lacks), byte-exact streamed
 * uploads, object-created events, and data that outlives a restart.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createS3Client } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsBetween, startS3Server, type ObjectCreatedEvent } from "../src/index.js";
import { startLocalS3, type LocalS3 } from "./s3-fixture.js";

const BUCKET = "cvflow-test";
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  client = s3.client;
});
afterAll(async () => {
  await s3.close();
});

const put = (Key: string, Body: string | Uint8Array, extra: Partial<PutObjectCommand["input"]> = {}) =>
  client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...extra }));

async function read(Key: string): Promise<{ body: Buffer; etag: string }> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
  return { body: Buffer.from(await object.Body!.transformToByteArray()), etag: object.ETag! };
}

/** The S3 error a rejected promise carries: its code and HTTP status. */
async function s3Error(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const error = await promise.then(
    () => expect.fail("expected the request to fail"),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  const { name, $metadata } = error as S3ServiceException;
  return { name, status: $metadata.httpStatusCode };
}

const md5 = (bytes: Uint8Array): string => `"${createHash("md5").update(bytes).digest("hex")}"`;

describe("object operations", () => {
  it("puts, gets, lists and deletes objects; keys may hold spaces and non-ASCII characters", async () => {
    const keys = ["ops/a.json", "ops/b c.json", "ops/ü/d.json"];
    for (const key of keys) await put(key, `{"key":"${key}"}`, { ContentType: "application/json" });
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "ops/b c.json" }));
    expect(got.ContentType).toBe("application/json");
    expect(await got.Body!.transformToString()).toBe('{"key":"ops/b c.json"}');

    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "ops/" }));
    expect(listed.Contents?.map((object) => object.Key).sort()).toEqual([...keys].sort());

    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "ops/a.json" }));
    expect(await s3Error(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "ops/a.json" })))).toEqual({ name: "NoSuchKey", status: 404 });
    expect((await s3Error(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "ops/a.json" })))).status).toBe(404);
  });

  it("answers a presigned PUT and a presigned GET made with fetch", async () => {
    const key = "presigned/photo.jpg";
    const bytes = randomBytes(64 * 1024);
    const uploadUrl = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: "image/jpeg" }), { expiresIn: 60 });
    expect(new URL(uploadUrl).hostname).toBe("127.0.0.1");
    const uploaded = await fetch(uploadUrl, { method: "PUT", body: bytes, headers: { "content-type": "image/jpeg" } });
    expect(uploaded.status).toBe(200);

    const downloadUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 });
    const downloaded = await fetch(downloadUrl);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("lets a browser page PUT and GET presigned URLs (CORS, as the deployed bucket)", async () => {
    const origin = "http://127.0.0.1:9001";
    const key = "presigned/from-a-page.jpg";
    const uploadUrl = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: "image/jpeg" }), { expiresIn: 60 });
    // The preflight carries no credential; the page's PUT is then let through with its origin allowed.
    const preflight = await fetch(uploadUrl, { method: "OPTIONS", headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" } });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    const uploaded = await fetch(uploadUrl, { method: "PUT", body: randomBytes(16), headers: { origin, "content-type": "image/jpeg" } });
    expect([uploaded.status, uploaded.headers.get("access-control-allow-origin")]).toEqual([200, "*"]);
    const downloadUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 });
    expect((await fetch(downloadUrl, { headers: { origin } })).headers.get("access-control-allow-origin")).toBe("*");
  });

  it("round-trips a streamed 5 MB random body byte for byte", async () => {
    const bytes = randomBytes(5 * 1024 * 1024);
    // Several chunks of odd sizes, as a file or network stream delivers them.
    const chunks = [bytes.subarray(0, 1_000_003), bytes.subarray(1_000_003, 3_333_333), bytes.subarray(3_333_333)];
    const written = await put("stream/random.bin", Readable.from(chunks) as unknown as Uint8Array, { ContentLength: bytes.length });
    const { body, etag } = await read("stream/random.bin");
    expect(body.length).toBe(bytes.length);
    expect(body.equals(bytes)).toBe(true);
    expect(etag).toBe(md5(bytes));
    expect(written.ETag).toBe(etag);
  });

  it("refuses aws-chunked bodies (a client left on the SDK's default checksums) instead of storing the framing", async () => {
    const defaults = new S3Client({ region: s3.server.region, endpoint: s3.server.endpoint, forcePathStyle: true, credentials: s3.server.credentials });
    try {
      const body = Readable.from([randomBytes(1024)]) as unknown as Uint8Array;
      const error = await s3Error(defaults.send(new PutObjectCommand({ Bucket: BUCKET, Key: "stream/chunked.bin", Body: body, ContentLength: 1024 })));
      expect(error).toEqual({ name: "NotImplemented", status: 501 });
    } finally {
      defaults.destroy();
    }
    expect((await s3Error(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "stream/chunked.bin" })))).status).toBe(404);
  });

  it("refuses keys with '..' segments, which would leave the data directory", async () => {
    expect(await s3Error(put("../../escaped", "x"))).toEqual({ name: "InvalidURI", status: 400 });
    expect(existsSync(join(s3.dataDir, "escaped._S3rver_object"))).toBe(false);
  });

  it("never serves half a write: concurrent reads see whole objects whose ETag is their MD5", async () => {
    const key = "consistency/doc.bin";
    const bodies = Array.from({ length: 8 }, () => randomBytes(512 * 1024));
    await put(key, bodies[0]!);
    const reads: Promise<{ body: Buffer; etag: string }>[] = [];
    const writes = bodies.map(async (body) => {
      reads.push(read(key));
      await put(key, body);
    });
    await Promise.all(writes);
    const seen = await Promise.all(reads);
    for (const { body, etag } of seen) {
      expect(bodies.some((candidate) => candidate.equals(body))).toBe(true);
      expect(etag).toBe(md5(body));
    }
  });
});

describe("conditional writes", () => {
  it("If-None-Match: * creates once; the second create is 412 PreconditionFailed", async () => {
    const first = await put("cond/once.json", "first", { IfNoneMatch: "*" });
    expect(first.ETag).toBe(md5(Buffer.from("first")));
    expect(await s3Error(put("cond/once.json", "second", { IfNoneMatch: "*" }))).toEqual({ name: "PreconditionFailed", status: 412 });
    expect((await read("cond/once.json")).body.toString()).toBe("first");
  });

  it("If-Match with the current ETag writes; with a stale one it is 412; on a missing key 404", async () => {
    const { ETag: v1 } = await put("cond/doc.json", "v1");
    const { ETag: v2 } = await put("cond/doc.json", "v2", { IfMatch: v1 });
    expect(v2).toBe(md5(Buffer.from("v2")));
    expect(await s3Error(put("cond/doc.json", "v3", { IfMatch: v1 }))).toEqual({ name: "PreconditionFailed", status: 412 });
    // The ETag without its quotes matches too, as on S3.
    await put("cond/doc.json", "v3", { IfMatch: v2!.replace(/"/g, "") });
    expect((await read("cond/doc.json")).body.toString()).toBe("v3");
    expect(await s3Error(put("cond/missing.json", "x", { IfMatch: v1 }))).toEqual({ name: "NoSuchKey", status: 404 });
  });

  it("answers in S3's XML error format", async () => {
    await put("cond/xml.json", "x");
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: "cond/xml.json" }), { expiresIn: 60 });
    const response = await fetch(url, { method: "PUT", body: "y", headers: { "if-none-match": "*" } });
    expect(response.status).toBe(412);
    expect(response.headers.get("content-type")).toMatch(/application\/xml/);
    const xml = await response.text();
    expect(xml).toMatch(/<Error><Code>PreconditionFailed<\/Code><Message>[^<]+<\/Message><Condition>If-None-Match<\/Condition>/);
  });

  it("of 20 concurrent PUTs with the same If-Match ETag exactly one succeeds", async () => {
    const { ETag: etag } = await put("cond/race.json", "start");
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => put("cond/race.json", `writer ${i}`, { IfMatch: etag })));
    const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    }
    expect((await read("cond/race.json")).body.toString()).toBe(`writer ${winners[0]}`);
  });

  it("of 20 concurrent creates with If-None-Match: * exactly one succeeds", async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => put("cond/create-race.json", `creator ${i}`, { IfNoneMatch: "*" })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });

  it("DeleteObject with If-Match deletes only the version read", async () => {
    const { ETag: v1 } = await put("cond/delete.json", "v1");
    const { ETag: v2 } = await put("cond/delete.json", "v2");
    expect(await s3Error(client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "cond/delete.json", IfMatch: v1 })))).toEqual({
      name: "PreconditionFailed",
      status: 412,
    });
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "cond/delete.json", IfMatch: v2 }));
    expect((await s3Error(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "cond/delete.json" })))).status).toBe(404);
  });

  it("CompleteMultipartUpload honours If-None-Match", async () => {
    await put("cond/multipart.bin", "already here");
    const error = await s3Error(uploadMultipart("cond/multipart.bin", [randomBytes(1024)], { IfNoneMatch: "*" }));
    expect(error).toEqual({ name: "PreconditionFailed", status: 412 });
    expect((await read("cond/multipart.bin")).body.toString()).toBe("already here");
  });
});

async function uploadMultipart(Key: string, parts: Uint8Array[], conditions: { IfNoneMatch?: string } = {}): Promise<void> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
  const uploaded = [];
  for (const [index, Body] of parts.entries()) {
    const { ETag } = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: index + 1, Body }));
    uploaded.push({ ETag, PartNumber: index + 1 });
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts: uploaded }, ...conditions }));
}

describe("request counts", () => {
  it("counts each answered request by the kind S3 prices it, 412s among them", async () => {
    const before = s3.server.requestCounts();
    await put("counted/a.json", "a", { IfNoneMatch: "*" });
    await s3Error(put("counted/a.json", "again", { IfNoneMatch: "*" }));
    await read("counted/a.json");
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "counted/a.json" }));
    await s3Error(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "counted/missing.json" })));
    await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "counted/" }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "counted/a.json" }));
    expect(countsBetween(before, s3.server.requestCounts())).toEqual({ put: 2, list: 1, get: 1, head: 2, delete: 1, other: 0, precondition_failed: 1 });
  });
});

describe("object-created events", () => {
  function collect(): { events: ObjectCreatedEvent[]; next(): Promise<ObjectCreatedEvent>; stop(): void } {
    const events: ObjectCreatedEvent[] = [];
    const waiting: ((event: ObjectCreatedEvent) => void)[] = [];
    const stop = s3.server.on("objectCreated", (event) => {
      const waiter = waiting.shift();
      if (waiter) waiter(event);
      else events.push(event);
    });
    return {
      events,
      next: () => (events.length ? Promise.resolve(events.shift()!) : new Promise((resolve) => waiting.push(resolve))),
      stop,
    };
  }

  it("fires for a put, with the key as stored (not URL-encoded) and its size", async () => {
    const events = collect();
    try {
      await put("events/a photo+1 ü.jpg", Buffer.alloc(1234));
      expect(await events.next()).toEqual({ bucket: BUCKET, key: "events/a photo+1 ü.jpg", size: 1234, eventName: "ObjectCreated:Put" });
    } finally {
      events.stop();
    }
  });

  it("fires once for a multipart upload, as ObjectCreated:CompleteMultipartUpload, with the whole size", async () => {
    const events = collect();
    try {
      await uploadMultipart("events/manifest.jsonl", [randomBytes(5 * 1024 * 1024), randomBytes(1000)]);
      expect(await events.next()).toEqual({
        bucket: BUCKET,
        key: "events/manifest.jsonl",
        size: 5 * 1024 * 1024 + 1000,
        eventName: "ObjectCreated:CompleteMultipartUpload",
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(events.events).toEqual([]);
    } finally {
      events.stop();
    }
  });

  it("stops calling a handler once unsubscribed, and survives a handler that throws", async () => {
    const events = collect();
    const unsubscribe = s3.server.on("objectCreated", () => {
      throw new Error("handler failure (expected in this test)");
    });
    try {
      await put("events/one.txt", "1");
      expect((await events.next()).key).toBe("events/one.txt");
      events.stop();
      await put("events/two.txt", "2");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(events.events).toEqual([]);
    } finally {
      unsubscribe();
      events.stop();
    }
  });
});

describe("restart", () => {
  it("a second start on the same data directory finds the bucket and its objects", async () => {
    const first = await startS3Server({ bucket: "restart-test", dataDir: s3.dataDir, port: 0 });
    const firstClient = createS3Client({ endpoint: first.endpoint, region: first.region, credentials: first.credentials });
    await firstClient.send(new PutObjectCommand({ Bucket: "restart-test", Key: "kept.txt", Body: "still here" }));
    firstClient.destroy();
    await first.stop();

    const second = await startS3Server({ bucket: "restart-test", dataDir: s3.dataDir, port: 0 });
    const secondClient = createS3Client({ endpoint: second.endpoint, region: second.region, credentials: second.credentials });
    try {
      const object = await secondClient.send(new GetObjectCommand({ Bucket: "restart-test", Key: "kept.txt" }));
      expect(await object.Body!.transformToString()).toBe("still here");
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  });
});
