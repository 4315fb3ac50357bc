/**
 * The local stack's S3 server, uploads and hostile input, over real HTTP (gateway, handler, signed
 * S3-protocol server): image URLs reach the local S3 server only through addresses the service
 * presigned, uploads belong to a workspace (the SDK's upload flow included), oversized headers
 * and deeply nested JSON get JSON errors in the envelope.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { LocalStack } from "@cvflow/local";
import { CvflowClient } from "@cvflow/sdk";
import { createS3Client, S3ApiKeyStore, S3BlobStore } from "@cvflow/store";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, testStack } from "./local-stack.js";

const imageSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "size", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] }],
  outputs: [{ type: "JsonField", name: "width", selector: "$steps.size.output" }],
};

let stack: LocalStack;
let otherKey: string;
let png: Buffer;
let upload: { key: string; image: { type: string; value: string } };

beforeAll(async () => {
  stack = await testStack();
  const client = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  otherKey = (await new S3ApiKeyStore(client, stack.s3.bucket).create("other", ["workflow:run", "workflow:read"], "test")).key;
  png = await sharp({ create: { width: 37, height: 21, channels: 3, background: "#0a8" } }).png().toBuffer();
  const slot = await call(stack, "POST", "/uploads", { body: { content_type: "image/png" } });
  expect(slot.status).toBe(200);
  expect((await fetch(slot.body.upload_url, { method: "PUT", body: png, headers: { "content-type": "image/png" } })).status).toBe(200);
  upload = { key: slot.body.image.value.replace(`s3://${stack.s3.bucket}/`, ""), image: slot.body.image };
}, 60_000);
afterAll(() => stack?.close());

const run = (image: unknown, key?: string) => call(stack, "POST", "/workflows/run", { body: { specification: imageSpec, inputs: { image } }, ...(key ? { key } : {}) });

describe("uploads", () => {
  it("are keyed by workspace and read by runs of that workspace", async () => {
    expect(upload.key).toMatch(/^uploads\/demo\/[0-9a-f-]{36}$/);
    const ok = await run(upload.image);
    expect(ok.status).toBe(200);
    expect(ok.body.outputs).toEqual([{ width: 37 }]);
  });

  it("of another workspace are 403 forbidden, with the key and workspace", async () => {
    const refused = await run(upload.image, otherKey);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "forbidden", status: 403, details: { key: upload.key, workspace: "other", pointer: "/inputs/image" } });
  });

  it("work through the SDK, which uploads large images by itself", async () => {
    const sdk = new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey });
    const image = await sdk.uploadImage(png);
    expect(image).toMatchObject({ type: "s3", value: expect.stringMatching(new RegExp(`^s3://${stack.s3.bucket}/uploads/demo/`)) });
    expect((await run(image)).body.outputs).toEqual([{ width: 37 }]);
  });
});

describe("url inputs pointing at the local S3 server", () => {
  it("read an address the service presigned", async () => {
    const blobs = new S3BlobStore(createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials }), stack.s3.bucket);
    const presigned = await run({ type: "url", value: await blobs.presignGet(upload.key, 60) });
    expect(presigned.status).toBe(200);
    expect(presigned.body.outputs).toEqual([{ width: 37 }]);
  });

  it("refuse unsigned addresses (any object: an upload, an API key record) and foreign-signed ones as loopback", async () => {
    const keyRecords = await fetch(`${stack.s3.endpoint}/${stack.s3.bucket}?list-type=2&prefix=keys/`);
    expect(keyRecords.status).toBe(403);
    const stranger = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: { ...stack.s3.credentials, secretAccessKey: "S3RVER" } });
    const foreign = await getSignedUrl(stranger, new GetObjectCommand({ Bucket: stack.s3.bucket, Key: upload.key }), { expiresIn: 60 });
    for (const value of [`${stack.s3.endpoint}/${stack.s3.bucket}/${upload.key}`, `${stack.s3.endpoint}/${stack.s3.bucket}/keys/`, foreign]) {
      const refused = await run({ type: "url", value });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "url_not_allowed", details: { reason: "loopback", pointer: "/inputs/image" } });
      expect(JSON.stringify(refused.body)).not.toContain("X-Amz-Signature");
    }
  });
});

describe("hostile requests", () => {
  it("a 100 KB Authorization header: 431 request_headers_too_large in the envelope, and the stack serves on", async () => {
    const response = await fetch(`${stack.url}/workflows/run`, { method: "POST", headers: { authorization: `Bearer ${"k".repeat(100 * 1024)}` }, body: "{}" });
    expect(response.status).toBe(431);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: "request_headers_too_large", status: 431, details: { limit_bytes: expect.any(Number) } });
    expect((await call(stack, "GET", "/health")).status).toBe(200);
  });

  it("JSON nested 10,000 levels, as a body or as a config string: 400 too_deeply_nested with the limit", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const body = await fetch(`${stack.url}/workflows/validate`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"version": "1.0", "steps": ${deep}}` });
    expect(body.status).toBe(400);
    const message = "The request body nests objects and arrays more than 64 levels deep";
    expect(await body.json()).toEqual({ error: { code: "too_deeply_nested", message, status: 400, details: { limit: 64 } }, message, error_type: "too_deeply_nested" });
    const config = await call(stack, "POST", "/demo/createWorkflow", { body: { name: "deep", url: "deep", config: `{"specification": ${deep}}` } });
    expect(config.status).toBe(400);
    expect(config.body.error).toMatchObject({ code: "too_deeply_nested", details: { limit: 64 } });
    const shallow = await call(stack, "POST", "/workflows/validate", { body: imageSpec });
    expect(shallow.status).toBe(200);
  });
});
