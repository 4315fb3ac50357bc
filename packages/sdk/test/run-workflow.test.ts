/** runWorkflow against the real service in-process: the request each target and image source makes, and what comes back. */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW, RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { examplePhoto } from "@cvflow/vision/test-assets";
import { CvflowClient, CvflowError, INLINE_IMAGES_LIMIT } from "../src/index.js";

let api: RecordedApi;
let client: CvflowClient;
const PHOTO = examplePhoto("coffee.jpg");

beforeAll(async () => {
  api = await RecordedApi.start({ allowedUrlHosts: [] });
  client = new CvflowClient({ baseUrl: api.baseUrl, apiKey: TEST_KEYS.runner, fetch: api.fetch });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

/** The size of a base64 image output. */
async function sizeOf(image: unknown): Promise<{ width?: number; height?: number; format?: string }> {
  expect(image).toMatchObject({ type: "base64", value: expect.any(String) });
  const { width, height, format } = await sharp(Buffer.from((image as { value: string }).value, "base64")).metadata();
  return { width, height, format };
}

describe("runWorkflow targets", () => {
  it("runs an inline definition with POST /workflows/run", async () => {
    const result = await client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: { image: PHOTO } });
    const request = api.last("/workflows/run");
    expect(request.method).toBe("POST");
    expect(request.headers["authorization"]).toBe(`Bearer ${TEST_KEYS.runner}`);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(Object.keys(request.json).sort()).toEqual(["inputs", "specification"]);
    expect(request.json.specification).toEqual(BLUR_WORKFLOW);
    const { width, height } = await sharp(PHOTO).metadata();
    expect(await sizeOf(result.outputs[0]!["blurred"])).toEqual({ width, height, format: "jpeg" });
    expect(result).not.toHaveProperty("profilerTrace");
  });

  it("sends a wrapped definition bare", async () => {
    await client.runWorkflow({ specification: { specification: BLUR_WORKFLOW } }, { images: { image: PHOTO } });
    expect(api.last("/workflows/run").json.specification).toEqual(BLUR_WORKFLOW);
  });

  it("runs a saved workflow, an older version, with excluded fields, profiling and sinks disabled", async () => {
    const { store } = api.test;
    const first = await store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: BLUR_WORKFLOW });
    const renamed = { ...BLUR_WORKFLOW, outputs: [{ type: "JsonField", name: "renamed", selector: "$steps.copy.output" }] };
    await store.update(TEST_WORKSPACE, "shelf", { specification: renamed });
    const versionId = first.value.versionId;

    const result = await client.runWorkflow(
      { workspace: TEST_WORKSPACE, workflowId: "shelf", versionId },
      { images: { image: PHOTO }, parameters: { confidence: 0.5 }, excludedFields: ["blurred"], enableProfiling: true, disableSinks: true },
    );
    const request = api.last("/acme/workflows/shelf", "POST");
    expect(request.json).toEqual({
      inputs: { confidence: 0.5, image: { type: "base64", value: readFileSync(PHOTO).toString("base64") } },
      workflow_version_id: versionId,
      excluded_fields: ["blurred"],
      disable_sinks: true,
      enable_profiling: true,
    });
    // The older version ran (its output names), without the excluded output.
    expect(result.outputs).toEqual([{ confidence: 0.5 }]);
    expect(result.profilerTrace).toEqual(request.answer!.json.profiler_trace);
    expect(result.profilerTrace!.map((event) => [event.name, event.ph])).toEqual(expect.arrayContaining([["blur", "X"], ["copy", "X"]]));
  });
});

describe("runWorkflow image sources", () => {
  const photo = readFileSync(PHOTO);
  const base64 = photo.toString("base64");

  /** The inputs the run sent; the server may refuse sources it cannot read here (a URL, another bucket), which is not what these tests are about. */
  async function sent(images: Record<string, unknown>): Promise<Record<string, unknown>> {
    await client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: images as never }).catch((error: unknown) => {
      if (!(error instanceof CvflowError) || error.status === 0) throw error;
    });
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
    const error = await client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: { image: "no/such/photo.jpg" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CvflowError);
    expect(error).toMatchObject({ code: "invalid_image_source", status: 0 });
    expect((error as Error).message).toContain("no/such/photo.jpg");
    expect(api.received).toHaveLength(0);
  });

  it("refuses a data URL that is not base64, and a name given as image and parameter", async () => {
    await expect(client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: { image: "data:image/png,abc" } })).rejects.toMatchObject({ code: "invalid_image_source" });
    await expect(client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: { image: PHOTO }, parameters: { image: 1 } })).rejects.toMatchObject({ code: "invalid_argument" });
    expect(api.received).toHaveLength(0);
  });
});

describe("runWorkflow uploads", () => {
  /** Path-style: /bucket/key, the key in the workspace's uploads. */
  const UPLOAD_PATH = /^\/cvflow-test\/uploads\/acme\/[0-9a-f-]{36}$/;

  it("uploads an image over the inline limit with POST /uploads, a presigned PUT, then {type: s3}", async () => {
    // A real JPEG padded past the limit: decoders ignore bytes after the end-of-image marker.
    const big = Buffer.concat([readFileSync(PHOTO), Buffer.alloc(Math.ceil((INLINE_IMAGES_LIMIT * 3) / 4))]);
    const result = await client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: { image: big } });

    expect(api.received.map((r) => r.method)).toEqual(["POST", "PUT", "POST"]);
    expect(api.received.map((r) => r.path)).toEqual(["/uploads", expect.stringMatching(UPLOAD_PATH), "/workflows/run"]);
    expect(api.last("/uploads").json).toEqual({ content_type: "image/jpeg" });
    const put = api.received[1]!;
    expect(put.query.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(put.headers["content-type"]).toBe("image/jpeg");
    expect(put.headers["authorization"]).toBeUndefined();
    expect(put.body.equals(big)).toBe(true);
    expect(api.last("/workflows/run").json.inputs).toEqual({ image: api.last("/uploads").answer!.json.image });
    expect(api.last("/workflows/run").json.inputs.image).toEqual({ type: "s3", value: `s3:/${put.path}` });
    // The service read the upload back and ran on it.
    const { width, height } = await sharp(PHOTO).metadata();
    expect(await sizeOf(result.outputs[0]!["blurred"])).toMatchObject({ width, height });
  });

  it("uploads only the largest images until the rest fits inline", async () => {
    const photo = readFileSync(PHOTO);
    const sized = (bytes: number) => Buffer.concat([photo, Buffer.alloc(bytes - photo.length)]);
    const [small, large, medium] = [sized(1_400_000), sized(1_600_000), sized(1_500_000)];
    const result = await client.runWorkflow({ specification: BLUR_WORKFLOW }, { images: { image: [small, large, medium] } });

    const puts = api.received.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body.equals(large)).toBe(true);
    const [first, second, third] = api.last("/workflows/run").json.inputs.image;
    expect(first).toEqual({ type: "base64", value: small.toString("base64") });
    expect(second).toEqual(api.last("/uploads").answer!.json.image);
    expect(second.type).toBe("s3");
    expect(third.type).toBe("base64");
    expect(result.outputs).toHaveLength(3);
  });

  it("reports a failed PUT as upload_failed", async () => {
    // The store refusing the PUT: a transport failure the service never answers itself.
    const refusingPut: typeof fetch = async (input, init) =>
      init?.method === "PUT" ? new Response("<Error><Code>SignatureDoesNotMatch</Code></Error>", { status: 403 }) : api.fetch(input, init);
    const refused = new CvflowClient({ baseUrl: api.baseUrl, apiKey: TEST_KEYS.runner, fetch: refusingPut });
    const error = await refused.uploadImage(await sharp(PHOTO).png().toBuffer()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "upload_failed", status: 403 });
    expect(api.last("/uploads").json).toEqual({ content_type: "image/png" });
  });
});
