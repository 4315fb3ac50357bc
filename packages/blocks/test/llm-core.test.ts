/**
 * The LLM core (models/foundation/llm) against a real loopback server: what callJsonApi sends, how
 * each failure maps to a code (401 auth, 429 after retries with Retry-After honoured, 5xx, a
 * timeout, a failed connection, the run's abort), that keys never reach an error; the task prompts'
 * formats; encodeImage's sizes and codecs on a real photo; providerKey's refusals.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import sharp from "sharp";
import { WorkflowError, type BlockContext } from "@cvflow/engine";
import { decodeImage, inputLineage, parseUrlAllowList } from "@cvflow/vision";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { Secret } from "../src/secrets_providers/secret.js";
import { callJsonApi, encodeImage, providerKey, taskPrompt } from "../src/models/foundation/llm/index.js";
import { openAiUploadSize } from "../src/formatters/vlm-detection-parsers.js";
import { scriptedProvider, type ScriptedProvider } from "./scripted-provider.js";

const KEY = "sk-test-0123456789abcdef";

let server: ScriptedProvider;
beforeAll(async () => {
  server = await scriptedProvider();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function context(signal: AbortSignal = new AbortController().signal): BlockContext {
  return { signal, step: "llm", index: [], services: { egress: { urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") } } } };
}

const call = (overrides: Partial<Parameters<typeof callJsonApi>[1]> = {}, ctx = context()) =>
  callJsonApi(ctx, { provider: "OpenAI", url: `${server.url}/v1/thing`, headers: { authorization: `Bearer ${KEY}` }, body: { model: "m", n: 1 }, secrets: [KEY], ...overrides });

async function failure(promise: Promise<unknown>): Promise<WorkflowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  return error as WorkflowError;
}

describe("callJsonApi", () => {
  it("POSTs the body as JSON with the headers given and answers the parsed JSON", async () => {
    server.reply({ json: { ok: true, text: "hi" } });
    await expect(call()).resolves.toEqual({ ok: true, text: "hi" });
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent!.method).toBe("POST");
    expect(sent!.path).toBe("/v1/thing");
    expect(sent!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.json).toEqual({ model: "m", n: 1 });
  });

  it("401: provider_auth_failed (400) naming the provider and status, the key masked in the provider's own message; no retry", async () => {
    server.reply({ status: 401, json: { error: { message: `Incorrect API key provided: ${KEY}.`, type: "invalid_request_error" } } });
    const error = await failure(call());
    expect(server.requests).toHaveLength(1);
    expect(error.code).toBe("provider_auth_failed");
    expect(error.status).toBe(400);
    expect(error.message).toContain("OpenAI");
    expect(error.message).toContain("401");
    expect(error.message).toContain("Incorrect API key provided: ***");
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(KEY);
    expect(error.details).toMatchObject({ provider: "OpenAI", status: 401 });
  });

  it("429 then 200: retried after Retry-After (1 s) and answered", async () => {
    server.reply({ status: 429, headers: { "retry-after": "1" }, json: { error: { message: "slow down" } } }, { json: { done: 1 } });
    const started = Date.now();
    await expect(call()).resolves.toEqual({ done: 1 });
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("429 three times: two retries, then provider_rate_limited (429) with Retry-After in details", async () => {
    const limited = { status: 429, headers: { "retry-after": "0" }, json: { error: { message: "Rate limit reached" } } } as const;
    server.reply(limited, limited, limited);
    const error = await failure(call());
    expect(server.requests).toHaveLength(3);
    expect(error.code).toBe("provider_rate_limited");
    expect(error.status).toBe(429);
    expect(error.message).toContain("2 retries");
    expect(error.details).toMatchObject({ provider: "OpenAI", status: 429, retry_after_s: 0, provider_message: "Rate limit reached" });
  });

  it("a Retry-After beyond what a run can wait is not waited for: one request, provider_rate_limited at once", async () => {
    server.reply({ status: 429, headers: { "retry-after": "30" }, json: {} });
    const error = await failure(call());
    expect(server.requests).toHaveLength(1);
    expect(error.details["retry_after_s"]).toBe(30);
  });

  it("5xx: retried (0.5 s, then 1 s) and answered on the third try; a 5xx each time is provider_error (502) with the last status", async () => {
    server.reply({ status: 500, text: "boom" }, { status: 503, json: {} }, { json: { third: true } });
    await expect(call()).resolves.toEqual({ third: true });
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    const unavailable = { status: 503, headers: { "retry-after": "0" }, text: "upstream down" } as const;
    server.reply(unavailable, unavailable, unavailable);
    const error = await failure(call());
    expect(server.requests).toHaveLength(3);
    expect(error.code).toBe("provider_error");
    expect(error.status).toBe(502);
    expect(error.message).toBe("OpenAI answered 503: upstream down");
  });

  it("another 4xx: provider_error at once, with the provider's message", async () => {
    server.reply({ status: 400, json: { error: { message: "Invalid image" } } });
    const error = await failure(call());
    expect(server.requests).toHaveLength(1);
    expect(error.code).toBe("provider_error");
    expect(error.message).toBe("OpenAI answered 400: Invalid image");
  });

  it("a 200 that is not JSON: provider_error", async () => {
    server.reply({ text: "<html>" });
    expect((await failure(call())).message).toBe("OpenAI answered 200 with a body that is not JSON");
  });

  it("no answer within timeoutMs: provider_timeout (504), not retried", async () => {
    server.reply("hang");
    const error = await failure(call({ timeoutMs: 200 }));
    expect(error.code).toBe("provider_timeout");
    expect(error.status).toBe(504);
    expect(error.details).toEqual({ provider: "OpenAI", timeout_ms: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it("the run's abort during a call or a retry wait ends it with the run's reason", async () => {
    const reason = new WorkflowError("run_cancelled", "cancelled", 499);
    server.reply("hang");
    const during = new AbortController();
    const pending = call({}, context(during.signal));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    during.abort(reason);
    await expect(pending).rejects.toBe(reason);

    server.requests.length = 0;
    server.reply({ status: 429, headers: { "retry-after": "5" }, json: {} });
    const waiting = new AbortController();
    const retrying = call({}, context(waiting.signal));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    waiting.abort(reason);
    await expect(retrying).rejects.toBe(reason);
    expect(server.requests).toHaveLength(1);
  });

  it("a connection refused: retried twice, then provider_error saying it could not be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(call({ url: `http://127.0.0.1:${port}/v1/thing` }));
    expect(error.code).toBe("provider_error");
    expect(error.message).toMatch(/^OpenAI could not be reached: /);
  });

  it("a key in the URL (a query parameter) is masked in the egress error that names the URL", async () => {
    const error = await failure(call({ url: `http://10.1.2.3/v1?key=${KEY}` }));
    expect(error.code).toBe("url_not_allowed");
    expect(error.message).not.toContain(KEY);
  });
});

describe("taskPrompt", () => {
  it("classification and multi-label ask for vlm_as_classifier's shapes, with the classes in the user text", () => {
    const single = taskPrompt("classification", { classes: ["cat", "dog"] });
    expect(single.system).toContain('{"class_name": "a-class", "confidence": 0.8}');
    expect(single.user).toBe("Classes to choose from: cat, dog");
    const multi = taskPrompt("multi-label-classification", { classes: ["cat", "dog"] });
    expect(multi.system).toContain('{"predicted_classes": [{"class": "a-class", "confidence": 0.9}');
  });

  it("unconstrained sends the prompt alone; VQA and structured answering frame it", () => {
    expect(taskPrompt("unconstrained", { prompt: "How many?" })).toEqual({ user: "How many?" });
    expect(taskPrompt("visual-question-answering", { prompt: "Is it red?" }).user).toBe("Question: Is it red?");
    const structured = taskPrompt("structured-answering", { output_structure: { count: "number of cars" } });
    expect(structured.user).toContain('"count": "number of cars"');
    expect(structured.system).toContain("```json");
  });

  it("object-detection: each format states its coordinates; the pixel ones the image's size; wrapped and yx-1000 carry a schema", () => {
    const normalized = taskPrompt("object-detection", { classes: ["car"] }, { detection: "normalized" });
    expect(normalized.system).toContain('"x_min": 0.1');
    expect(normalized.schema).toBeUndefined();
    const pixels = taskPrompt("object-detection", { classes: ["car", "bus"] }, { detection: "pixels", width: 640, height: 480 });
    expect(pixels.user).toContain("640x480");
    expect(pixels.user).toContain("Use only these labels: car, bus");
    expect(pixels.schema).toBeUndefined();
    const wrapped = taskPrompt("object-detection", { classes: ["car"] }, { detection: "pixels-wrapped", width: 640, height: 480 });
    expect(wrapped.schema).toMatchObject({ type: "object", required: ["detections"] });
    const gemini = taskPrompt("object-detection", { classes: ["car"] }, { detection: "yx-1000" });
    expect(gemini.user).toContain("[y_min, x_min, y_max, x_max]");
    expect(gemini.schema).toMatchObject({ type: "array" });
  });
});

describe.skipIf(missing("encodeImage on a photo", { photos: ["bus.jpg"] }))("encodeImage", () => {
  it("JPEG at the image's size; PNG shrunk to a long edge of 512 (never enlarged), decodable at the size it reports", async () => {
    const image = await decodeImage(readFileSync(sharedPhoto("bus.jpg")), inputLineage("bus"));
    const jpeg = await encodeImage(image, { format: "jpeg" });
    expect(jpeg.mediaType).toBe("image/jpeg");
    expect([jpeg.width, jpeg.height]).toEqual([image.width, image.height]);
    const jpegMeta = await sharp(Buffer.from(jpeg.base64, "base64")).metadata();
    expect([jpegMeta.format, jpegMeta.width, jpegMeta.height]).toEqual(["jpeg", image.width, image.height]);

    const png = await encodeImage(image, { format: "png", maxSide: 512 });
    expect([png.width, png.height]).toEqual(openAiUploadSize(image.width, image.height, 512));
    expect(Math.max(png.width, png.height)).toBe(512);
    const pngMeta = await sharp(Buffer.from(png.base64, "base64")).metadata();
    expect([pngMeta.format, pngMeta.width, pngMeta.height]).toEqual(["png", png.width, png.height]);

    const same = await encodeImage(image, { format: "png", maxSide: 4096 });
    expect([same.width, same.height]).toEqual([image.width, image.height]);
  });
});

describe("providerKey", () => {
  it("reveals a Secret or takes a string; refuses none and Roboflow's managed keys, saying what to give", () => {
    expect(providerKey(new Secret("OPENAI_KEY", KEY), "OpenAI")).toBe(KEY);
    expect(providerKey(KEY, "OpenAI")).toBe(KEY);
    expect(() => providerKey(null, "OpenAI")).toThrow(/no OpenAI API key was given/);
    try {
      providerKey("rf_key:account", "OpenAI");
      expect.unreachable();
    } catch (error) {
      expect((error as WorkflowError).code).toBe("invalid_field");
      expect((error as WorkflowError).message).toContain("Roboflow-managed key");
      expect((error as WorkflowError).message).toContain("pass your own OpenAI API key");
    }
  });
});
