/**
 * Listings of more than one page on the local S3 server, through the SDK's own paginator: every
 * key once, in order, with continuation tokens (s3rver's own, made with DES, failed on Node 24).
 */
import { ListObjectsV2Command, paginateListObjectsV2, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalS3, type LocalS3 } from "./s3-fixture.js";

const BUCKET = "cvflow-test";
const KEYS = Array.from({ length: 1203 }, (_, i) => `pages/${String(i).padStart(5, "0")}.json`);
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  for (let i = 0; i < KEYS.length; i += 50) {
    await Promise.all(KEYS.slice(i, i + 50).map((Key) => s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "{}", ContentLength: 2 }))));
  }
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "zz-other/a.json", Body: "{}", ContentLength: 2 }));
}, 120_000);
afterAll(async () => {
  await s3.close();
});

it("pages through more than 1000 keys with continuation tokens, each key once and in order", async () => {
  const seen: string[] = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: s3.client }, { Bucket: BUCKET, Prefix: "pages/" })) {
    pages++;
    for (const object of page.Contents ?? []) seen.push(object.Key!);
  }
  expect(pages).toBe(2);
  expect(seen).toEqual(KEYS);
});

it("small pages: MaxKeys 500 gives three pages, the last one not truncated; a token is the page's own", async () => {
  const first = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "pages/", MaxKeys: 500 }));
  expect(first.IsTruncated).toBe(true);
  expect(first.KeyCount).toBe(500);
  const second = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "pages/", MaxKeys: 500, ContinuationToken: first.NextContinuationToken }));
  expect(second.ContinuationToken).toBe(first.NextContinuationToken);
  expect(second.Contents?.[0]?.Key).toBe(KEYS[500]);
  const third = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "pages/", MaxKeys: 500, ContinuationToken: second.NextContinuationToken }));
  expect(third.IsTruncated).toBe(false);
  expect(third.NextContinuationToken).toBeUndefined();
  expect(third.Contents?.map((o) => o.Key)).toEqual(KEYS.slice(1000));
});
