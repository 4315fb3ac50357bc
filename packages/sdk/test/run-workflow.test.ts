/** runWorkflow: the request each target and image source makes, and what comes back. */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CvflowClient, CvflowError, INLINE_IMAGES_LIMIT } from "../src/index.js";
import { examplePhoto } from "@cvflow/vision/test-assets";
import { FakeApi, OUTPUT_IMAGE, SPECIFICATION } from "./fake-api.js";

let api: FakeApi;
let client: CvflowClient;
const PHOTO = examplePhoto("coffee.jpg");

beforeAll(async () => {
  api = await FakeApi.start();
  client = new CvflowClient({ baseUrl: api.url, apiKey: "cvf_test" });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

describe("runWorkflow targets", () => {
  it("runs an inline definition with POST /workflows/run", async () => {
    const result = await client.runWorkflow({ specification: SPECIFICATION }, { images: { image: PHOTO } });
    const request = api.last("/workflows/run");
    expect(request.method).toBe("POST");
    expect(request.headers["authorization"]).toBe("Bearer cvf_test");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(Object.keys(request.json).sort()).toEqual(["inputs", "specification"]);
    expect(request.json.specification).toEqual(SPECIFICATION);
    expect(result.outputs[0]!["annotated"]).toEqual({ type: "base64", value: OUTPUT_IMAGE.toString("base64") });
    expect(result).not.toHaveProperty("profilerTrace");
  });

  it("sends a wrapped definition bare", async () => {
    await client.runWorkflow({ specification: { specification: SPECIFICATION } });
    expect(api.last("/workflows/run").json.specification).toEqual(SPECIFICATION);
  });

  it("runs a saved workflow, an older version, with excluded fields and profiling", async () => {
    const result = await client.runWorkflow(
      { workspace: "acme", workflowId: "shelf audit", versionId: "v1" },
      { images: { image: PHOTO }, parameters: { confidence: 0.5 }, excludedFields: ["annotated"], enableProfiling: true },
    );
    const request = api.last("/acme/workflows/shelf%20audit", "POST");
    expect(request.json).toEqual({
      inputs: { confidence: 0.5, image: { type: "base64", value: readFileSync(PHOTO).toString("base64") } },
      workflow_version_id: "v1",
      excluded_fields: ["annotated"],
      enable_profiling: true,
    });
    expect(result.profilerTrace).toEqual([{ name: "blur", ph: "X", ts: 0, dur: 5, pid: 1, tid: 1 }]);
  });
});

describe("runWorkflow image sources", () => {
  const photo = readFileSync(PHOTO);
  const base64 = photo.toString("base64");

  async function sent(images: Record<string, unknown>): Promise<Record<string, unknown>> {
    await client.runWorkflow({ specification: SPECIFICATION }, { images: images as never });
    return api.last("/workflows/run").json.inputs;
  }

  it("reads a file path from disk and sends its bytes as base64", async () => {
    expect(await sent({ image: PHOTO })).toEqual({ image: { type: "base64", value: base64 } });
  });

  it("sends an http(s) URL for the server to fetch", async () => {
    expect(await sent({ image: "https://example.com/bus.jpg?size=large" })).toEqual({ image: { type: "url", value: "https://example.com/bus.jpg?size=large" } });
  });

  it("sends a Buffer and a Uint8Array as base64", async () => {
    const view = new Uint8Array(photo.buffer, photo.byteOffset, photo.byteLength);
    expect(await sent({ a: photo, b: view })).toEqual({ a: { type: "base64", value: base64 }, b: { type: "base64", value: base64 } });
  });

  it("sends a Uint8Array that views part of a larger buffer as just its own bytes", async () => {
    const whole = new Uint8Array([9, 9, 1, 2, 3, 9]);
    expect(await sent({ image: whole.subarray(2, 5) })).toEqual({ image: { type: "base64", value: Buffer.from([1, 2, 3]).toString("base64") } });
  });

  it("takes a base64 string and a data URL", async () => {
    expect(await sent({ a: base64, b: `data:image/jpeg;base64,${base64}` })).toEqual({ a: { type: "base64", value: base64 }, b: { type: "base64", value: base64 } });
  });

  it("passes wrapped inputs and s3:// references through", async () => {
    expect(await sent({ a: { type: "url", value: "https://x.test/a.jpg" }, b: "s3://bucket/uploads/1" })).toEqual({
      a: { type: "url", value: "https://x.test/a.jpg" },
      b: { type: "s3", value: "s3://bucket/uploads/1" },
    });
  });

  it("sends an array of sources as a batch, in order", async () => {
    expect(await sent({ image: [PHOTO, "https://x.test/b.jpg"] })).toEqual({ image: [{ type: "base64", value: base64 }, { type: "url", value: "https://x.test/b.jpg" }] });
  });

  it("refuses a missing file before sending anything", async () => {
    const error = await client.runWorkflow({ specification: SPECIFICATION }, { images: { image: "no/such/photo.jpg" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CvflowError);
    expect(error).toMatchObject({ code: "invalid_image_source", status: 0 });
    expect((error as Error).message).toContain("no/such/photo.jpg");
    expect(api.received).toHaveLength(0);
  });

  it("refuses a data URL that is not base64, and a name given as image and parameter", async () => {
    await expect(client.runWorkflow({ specification: SPECIFICATION }, { images: { image: "data:image/png,abc" } })).rejects.toMatchObject({ code: "invalid_image_source" });
    await expect(client.runWorkflow({ specification: SPECIFICATION }, { images: { image: PHOTO }, parameters: { image: 1 } })).rejects.toMatchObject({ code: "invalid_argument" });
    expect(api.received).toHaveLength(0);
  });
});

describe("runWorkflow uploads", () => {
  it("uploads an image over the inline limit with POST /uploads, a presigned PUT, then {type: s3}", async () => {
    // A real JPEG padded past the limit: decoders ignore bytes after the end-of-image marker.
    const big = Buffer.concat([readFileSync(PHOTO), Buffer.alloc(Math.ceil((INLINE_IMAGES_LIMIT * 3) / 4))]);
    await client.runWorkflow({ specification: SPECIFICATION }, { images: { image: big } });

    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /uploads", "PUT /s3/uploads/u1", "POST /workflows/run"]);
    expect(api.last("/uploads").json).toEqual({ content_type: "image/jpeg" });
    const put = api.last("/s3/uploads/u1");
    expect(put.query.get("X-Amz-Signature")).toBe("abc");
    expect(put.headers["content-type"]).toBe("image/jpeg");
    expect(put.headers["authorization"]).toBeUndefined();
    expect(put.body.equals(big)).toBe(true);
    expect(api.last("/workflows/run").json.inputs).toEqual({ image: { type: "s3", value: "s3://cvflow/uploads/u1" } });
  });

  it("uploads only the largest images until the rest fits inline", async () => {
    const photo = readFileSync(PHOTO);
    const sized = (bytes: number) => Buffer.concat([photo, Buffer.alloc(bytes - photo.length)]);
    const [small, large, medium] = [sized(1_400_000), sized(1_600_000), sized(1_500_000)];
    await client.runWorkflow({ specification: SPECIFICATION }, { images: { image: [small, large, medium] } });

    expect(api.received.filter((r) => r.method === "PUT")).toHaveLength(1);
    expect(api.last("/s3/uploads/u1").body.equals(large)).toBe(true);
    const [first, second, third] = api.last("/workflows/run").json.inputs.image;
    expect(first).toEqual({ type: "base64", value: small.toString("base64") });
    expect(second).toEqual({ type: "s3", value: "s3://cvflow/uploads/u1" });
    expect(third.type).toBe("base64");
  });

  it("reports a failed PUT as upload_failed", async () => {
    api.reply("PUT /s3/uploads/:id", { status: 403, raw: "<Error><Code>SignatureDoesNotMatch</Code></Error>" });
    const error = await client.uploadImage(await sharp(PHOTO).png().toBuffer()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upload_failed", status: 403 });
    expect(api.last("/uploads").json).toEqual({ content_type: "image/png" });
  });
});
