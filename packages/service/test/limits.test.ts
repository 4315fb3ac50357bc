/**
 * The limits `handle` keeps: the deadline (a block deaf to the signal still gets a 504 at the
 * deadline, and the process goes on serving), the response limit (images offloaded to S3 with
 * presigned URLs when asked for, or 413), the request limit, and a run's image budget. Whether a
 * 504 may be retried is in deadline-retries.test.ts; the deadline under a Lambda's remaining time
 * in functions/test/api-handler.test.ts.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { noiseJpeg } from "../../../test/noise-jpeg.js";
import { PAYLOAD_LIMIT_BYTES } from "../src/index.js";
import { overrunWorkflow } from "../src/testing/index.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

const slowSpec = overrunWorkflow(4_000);
const quickSpec = { ...slowSpec, steps: [slowSpec.steps[0]], outputs: [{ type: "JsonField", name: "out", selector: "$steps.quick.output" }] };
const auth = { authorization: `Bearer ${KEYS.runner}` };

describe("deadline", () => {
  it("answers 504 deadline_exceeded at the deadline with the finished steps, and serves the next request", async () => {
    const { request } = await testService({ limits: { runDeadlineMs: 1_000 } });
    const started = performance.now();
    const response = await request("POST", "/workflows/run", { headers: auth, body: { specification: slowSpec } });
    const elapsed = performance.now() - started;
    expect(response.statusCode).toBe(504);
    expect(response.body.error).toMatchObject({ code: "deadline_exceeded", status: 504, details: { finished_steps: ["quick"], running_steps: ["slow"] } });
    // At the deadline, not before it, and not at the end of the 4 s step: relations, not margins.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(4_000);
    // The sleeping block is still running; the process answers anyway.
    const next = await request("POST", "/workflows/run", { headers: auth, body: { specification: quickSpec } });
    expect(next.body).toEqual({ outputs: [{ out: 1 }] });
  });

  it("also bounds work that never watches the signal (a hung store call)", async () => {
    const { request, store } = await testService({ limits: { runDeadlineMs: 300 } });
    store.list = () => new Promise(() => {});
    const response = await request("GET", `/${WORKSPACE}/workflows`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
    expect(response.statusCode).toBe(504);
    expect(response.body.error.code).toBe("deadline_exceeded");
  });
});

describe("response limit", () => {
  const fourCopies = {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }],
    steps: [],
    outputs: ["a", "b", "c", "d"].map((name) => ({ type: "JsonField", name, selector: "$inputs.image" })),
  };

  const offload = { "x-cvflow-large-response": "offload" };
  async function runFourCopies(request: Awaited<ReturnType<typeof testService>>["request"], headers: Record<string, string> = {}, fields: Record<string, unknown> = {}) {
    const jpeg = await noiseJpeg();
    const body = { specification: fourCopies, inputs: { image: { type: "base64", value: jpeg.toString("base64") } }, ...fields };
    return { jpeg, response: await request("POST", "/workflows/run", { headers: { ...auth, ...headers }, body }) };
  }

  it("moves images to S3 when asked, largest first, and answers presigned URLs until the response fits", async () => {
    const { request, blobs } = await testService();
    const { jpeg, response } = await runFourCopies(request, offload);
    expect(response.statusCode).toBe(200);
    const images = Object.values(response.body.outputs[0] as Record<string, { type: string; value: string }>);
    const moved = images.filter((i) => i.type === "url");
    expect(moved.length).toBeGreaterThan(0);
    expect(images.some((i) => i.type === "base64")).toBe(true);
    expect(response.headers["x-cvflow-offloaded-images"]).toBe(String(moved.length));
    const requestId = response.headers["x-request-id"];
    const keys = [...blobs.objects.keys()].filter((k) => k.startsWith(`results/${requestId}/`));
    expect(keys.length).toBe(moved.length);
    for (const image of moved) expect(image.value).toMatch(new RegExp(`^http://s3\\.test/cvflow-test/results/${requestId}/\\d+\\.jpg\\?`));
    expect(Buffer.from(blobs.objects.get(keys[0]!)!.body).equals(jpeg)).toBe(true);
    expect(blobs.objects.get(keys[0]!)!.contentType).toBe("image/jpeg");
    expect(Buffer.byteLength(JSON.stringify(response.body))).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  });

  it("takes the choice from the body's large_response too", async () => {
    const { request } = await testService();
    const { response } = await runFourCopies(request, {}, { large_response: "offload" });
    expect(response.statusCode).toBe(200);
    expect(Number(response.headers["x-cvflow-offloaded-images"])).toBeGreaterThan(0);
  });

  it("answers 413 response_too_large, saying by how much and how to ask for offloading, when the request did not ask", async () => {
    const { request, blobs } = await testService();
    const { jpeg, response } = await runFourCopies(request);
    expect(response.statusCode).toBe(413);
    expect(response.body.error).toMatchObject({
      code: "response_too_large",
      details: {
        limit_bytes: PAYLOAD_LIMIT_BYTES,
        large_response: "fail",
        offload_enabled: true,
        offload_request: { field: "large_response", header: "X-Cvflow-Large-Response", value: "offload" },
      },
    });
    // Each output is the image: its base64 and a few hundred bytes of metadata; the response is the four and its envelope.
    const base64Bytes = jpeg.toString("base64").length;
    const { largest_outputs: largest, size_bytes: size } = response.body.error.details as { largest_outputs: { name: string; bytes: number }[]; size_bytes: number };
    expect(largest.map((o) => o.name).sort()).toEqual(["a", "b", "c", "d"]);
    for (const output of largest) expect(output.bytes).toBe(largest[0]!.bytes);
    expect(largest[0]!.bytes).toBeGreaterThan(base64Bytes);
    expect(largest[0]!.bytes).toBeLessThan(base64Bytes + 1024);
    expect(size).toBeGreaterThan(4 * largest[0]!.bytes);
    expect(size).toBeLessThan(4 * largest[0]!.bytes + 4096);
    expect(response.body.error.message).toContain('"large_response": "offload"');
    expect(response.body.error.message).toContain("X-Cvflow-Large-Response: offload");
    expect(blobs.objects.size).toBe(0);
    // Said explicitly, "fail" is the same answer.
    const failed = await runFourCopies(request, { "x-cvflow-large-response": "FAIL" }, { large_response: "fail" });
    expect([failed.response.statusCode, failed.response.body.error.details.large_response]).toEqual([413, "fail"]);
  });

  it("answers 413 response_too_large when offloading is asked for but switched off", async () => {
    const { request, blobs } = await testService({ limits: { offloadLargeResponses: false } });
    const { response } = await runFourCopies(request, offload);
    expect(response.statusCode).toBe(413);
    expect(response.body.error).toMatchObject({ code: "response_too_large", details: { limit_bytes: PAYLOAD_LIMIT_BYTES, large_response: "offload", offload_enabled: false } });
    expect(response.body.error.details).not.toHaveProperty("offload_request");
    expect(response.body.error.message).toContain("switched off in this deployment");
    expect(blobs.objects.size).toBe(0);
  });

  it("refuses a bad choice with 400 before running, pointing at the field or naming the header", async () => {
    const { request } = await testService();
    const run = (headers: Record<string, string>, fields: Record<string, unknown>) =>
      request("POST", "/workflows/run", { headers: { ...auth, ...headers }, body: { specification: quickSpec, ...fields } });
    const badBody = await run({}, { large_response: "url" });
    expect([badBody.statusCode, badBody.body.error.code]).toEqual([400, "invalid_request"]);
    expect(badBody.body.error.details).toEqual({ field: "large_response", pointer: "/large_response", allowed: ["offload", "fail"] });
    const badHeader = await run({ "x-cvflow-large-response": "yes" }, {});
    expect([badHeader.statusCode, badHeader.body.error.details]).toEqual([400, { header: "X-Cvflow-Large-Response", allowed: ["offload", "fail"] }]);
    const disagreeing = await run(offload, { large_response: "fail" });
    expect([disagreeing.statusCode, disagreeing.body.error.details.pointer]).toEqual([400, "/large_response"]);
    expect(disagreeing.body.error.message).toContain("X-Cvflow-Large-Response");
    const agreeing = await run(offload, { large_response: "offload" });
    expect([agreeing.statusCode, agreeing.body]).toEqual([200, { outputs: [{ out: 1 }] }]);
  });
});

describe("request limit", () => {
  it("answers a body over 6 MB with 413 request_too_large pointing to POST /uploads", async () => {
    const { request } = await testService();
    const body = JSON.stringify({ specification: quickSpec, inputs: { image: { type: "base64", value: "A".repeat(PAYLOAD_LIMIT_BYTES) } } });
    const response = await request("POST", "/workflows/run", { headers: auth, rawBody: body });
    expect(response.statusCode).toBe(413);
    expect(response.body.error).toMatchObject({ code: "request_too_large", details: { upload: { method: "POST", path: "/uploads" } } });
    expect(response.body.error.message).toContain("POST /uploads");
  });
});

describe("a run's image budget", () => {
  it("answers 413 run_too_large, as JSON, for 39.7 megapixels through 5 drawing steps (238 of 200 megapixels)", async () => {
    const { request } = await testService();
    // 6300 x 6300 of one colour: a 550 KB PNG that the request limit lets through.
    const png = await sharp({ create: { width: 6300, height: 6300, channels: 3, background: "#2060a0" } }).png().toBuffer();
    const steps = Array.from({ length: 5 }, (_, i) => ({
      type: "roboflow_core/blur_visualization@v1",
      name: `blur${i}`,
      image: i === 0 ? "$inputs.image" : `$steps.blur${i - 1}.image`,
      predictions: "$inputs.boxes",
    }));
    const specification = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowBatchInput", name: "boxes", kind: ["object_detection_prediction"] }],
      steps,
      outputs: [{ type: "JsonField", name: "image", selector: "$steps.blur4.image" }],
    };
    const boxes = { image: { width: 6300, height: 6300 }, predictions: [] };
    const response = await request("POST", "/workflows/run", { headers: auth, body: { specification, inputs: { image: { type: "base64", value: png.toString("base64") }, boxes } } });
    expect(response.statusCode).toBe(413);
    expect(response.body.error).toMatchObject({ code: "run_too_large", status: 413, details: { image_steps: 5, estimated_megapixels: 238.1, max_megapixels: 200 } });
  });
});
