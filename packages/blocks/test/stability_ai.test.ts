/**
 * Stability AI's three blocks against a local server speaking the v2beta Stable Image wire format
 * (multipart form in, image bytes out with `accept: image/*`, errors as {"id","name","errors"}):
 * what cvflow sends (path, bearer key, form fields, the image and mask parts) and what it makes of
 * the answer, plus Stability's failures (401, 429 with Retry-After, 5xx) and the run's abort.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import sharp from "sharp";
import { Detections, WorkflowError, type BlockContext } from "@cvflow/engine";
import { parseUrlAllowList, type SerializedImage, type WorkflowImage } from "@cvflow/vision";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { maskAt } from "@cvflow/vision";
import { readFileSync } from "node:fs";
import { createWorkflowEngine } from "../src/runtime.js";
import { Secret } from "../src/secrets_providers/secret.js";
import { stabilityAiInpaintingBlock, stabilityAiOutpaintingBlock } from "../src/models/foundation/stability_ai.js";
import { scriptedProvider, type Recorded, type ScriptedProvider } from "./scripted-provider.js";
import { synthetic } from "./image-fixtures.js";
import { realModels } from "./model-fixtures.js";

const KEY = "sk-test-0123456789abcdef";

let stability: ScriptedProvider;
beforeAll(async () => {
  stability = await scriptedProvider();
});
afterAll(() => stability.close());
beforeEach(() => {
  stability.requests.length = 0;
});

const egress = () => ({ urlPolicy: { allowList: parseUrlAllowList("127.0.0.1") }, endpoints: { stability: stability.url } });
const engine = () => createWorkflowEngine({ egress: egress() });
const blockContext = (signal = new AbortController().signal): BlockContext => ({ signal, step: "stability", index: [], services: { egress: egress() } });

/** A JPEG of width x height in one colour, as Stability answers. */
async function jpeg(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).jpeg().toBuffer();
}
const imageReply = async (width: number, height: number, rgb: [number, number, number] = [200, 30, 40]) => ({
  status: 200,
  body: await jpeg(width, height, rgb),
  headers: { "content-type": "image/jpeg", "finish-reason": "SUCCESS", seed: "42" },
});

/** The multipart form a request carried, parsed by the platform's own parser. */
async function formOf(request: Recorded): Promise<FormData> {
  return new Request("http://x", { method: "POST", headers: { "content-type": request.headers["content-type"]! }, body: request.body }).formData();
}
function fieldsOf(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
/** A JPEG part decoded; with its channels as stored (sharp decodes to sRGB otherwise). */
async function partPixels(form: FormData, name: string) {
  const part = form.get(name);
  expect(part).toBeInstanceOf(Blob);
  const bytes = Buffer.from(await (part as Blob).arrayBuffer());
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // a JPEG
  const { channels } = await sharp(bytes).metadata();
  const pixels = channels === 1 ? sharp(bytes).toColourspace("b-w") : sharp(bytes);
  return pixels.raw().toBuffer({ resolveWithObject: true });
}

const GENERATE = {
  version: "1.0",
  inputs: [
    { type: "WorkflowParameter", name: "prompt" },
    { type: "WorkflowParameter", name: "key" },
    { type: "WorkflowParameter", name: "model", default_value: "core" },
  ],
  steps: [
    { type: "roboflow_core/stability_ai_image_gen@v1", name: "gen", prompt: "$inputs.prompt", api_key: "$inputs.key", model: "$inputs.model", negative_prompt: "blurry" },
  ],
  outputs: [{ type: "JsonField", name: "image", selector: "$steps.gen.image" }],
};

describe("stability_ai_image_gen@v1", () => {
  it("sends the prompt to the model's endpoint and outputs the image answered, a new image", async () => {
    stability.reply(await imageReply(96, 64));
    const { outputs } = await engine().run(GENERATE, { prompt: "a red bus", key: KEY, model: "ultra" });
    expect(stability.requests).toHaveLength(1);
    const [sent] = stability.requests;
    expect(sent!.method).toBe("POST");
    expect(sent!.path).toBe("/v2beta/stable-image/generate/ultra");
    expect(sent!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(sent!.headers["accept"]).toBe("image/*");
    expect(sent!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(sent!);
    expect(fieldsOf(form)).toEqual({ prompt: "a red bus", output_format: "jpeg", negative_prompt: "blurry" });
    expect(form.has("image")).toBe(false);
    const image = outputs[0]!["image"] as SerializedImage;
    const { info, data } = await sharp(Buffer.from(image.value, "base64")).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([96, 64]);
    expect(Math.abs(data[0]! - 200)).toBeLessThan(8);
    expect(image.parent_id).toBeUndefined(); // its own root, as an input image
  });

  it("takes a key from environment_secrets_store, and any model it does not know as core", async () => {
    stability.reply(await imageReply(8, 8));
    const workflow = {
      ...GENERATE,
      steps: [
        { type: "roboflow_core/environment_secrets_store@v1", name: "secrets", variables_storing_secrets: ["WORKFLOW_SECRET_STABILITY_KEY"] },
        { ...GENERATE.steps[0], api_key: "$steps.secrets.workflow_secret_stability_key" },
      ],
    };
    vi.stubEnv("WORKFLOW_SECRET_STABILITY_KEY", KEY);
    try {
      await engine().run(workflow, { prompt: "p", key: "unused", model: "sdxl-legacy" });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(stability.requests[0]!.path).toBe("/v2beta/stable-image/generate/core");
    expect(stability.requests[0]!.headers["authorization"]).toBe(`Bearer ${KEY}`);
  });

  it("with an image: sends it as JPEG with the strength; sd3 is asked for image-to-image", async () => {
    stability.reply(await imageReply(32, 32));
    const workflow = {
      ...GENERATE,
      inputs: [...GENERATE.inputs, { type: "WorkflowImage", name: "image" }],
      steps: [{ ...GENERATE.steps[0], image: "$inputs.image", strength: 0.75 }],
    };
    const input = synthetic(40, 30, 3, (x) => (x < 20 ? 0 : 255));
    await engine().run(workflow, { prompt: "p", key: KEY, model: "sd3", image: input });
    const sent = stability.requests[0]!;
    expect(sent.path).toBe("/v2beta/stable-image/generate/sd3");
    const form = await formOf(sent);
    expect(fieldsOf(form)).toEqual({ prompt: "p", output_format: "jpeg", strength: "0.75", mode: "image-to-image", negative_prompt: "blurry" });
    const { info, data } = await partPixels(form, "image");
    expect([info.width, info.height]).toEqual([40, 30]);
    expect(data[0]).toBeLessThan(10); // left half black
    expect(data[(info.width - 1) * 3]).toBeGreaterThan(245); // right half white
  });
});

describe("stability_ai_inpainting@v1", () => {
  // A 60x40 image with one 20x10 mask at (10, 10).
  const image = synthetic(60, 40, 3, () => 128, "photo");
  const mask = new Uint8Array(20 * 10).fill(1);
  const segmentation = new Detections({
    image: { width: 60, height: 40 },
    xyxy: [10, 10, 30, 20],
    confidence: [0.9],
    classId: [0],
    className: ["dog"],
    masks: [{ width: 60, height: 40, left: 10, top: 10, columns: 20, rows: 10, data: mask }],
  });
  const params = { image, segmentation_mask: segmentation, prompt: "a cat", negative_prompt: "ugly", api_key: new Secret("K", KEY), invert_segmentation_mask: false, preset: "anime", seed: 9_000_000_000 };

  it("sends the image and the blurred white-on-black mask; the answer replaces the image's pixels, lineage kept", async () => {
    stability.reply(await imageReply(60, 40, [10, 200, 10]));
    const { image: out } = (await stabilityAiInpaintingBlock.run(params, blockContext())) as { image: WorkflowImage };
    const sent = stability.requests[0]!;
    expect(sent.path).toBe("/v2beta/stable-image/edit/inpaint");
    expect(sent.headers["authorization"]).toBe(`Bearer ${KEY}`);
    const form = await formOf(sent);
    expect(fieldsOf(form)).toEqual({ prompt: "a cat", output_format: "jpeg", negative_prompt: "ugly", style_preset: "anime", seed: "4294967294" });
    const sentImage = await partPixels(form, "image");
    expect([sentImage.info.width, sentImage.info.height]).toEqual([60, 40]);
    const m = await partPixels(form, "mask");
    expect([m.info.width, m.info.height, m.info.channels]).toEqual([60, 40, 1]);
    const at = (x: number, y: number) => m.data[y * 60 + x]!;
    expect(at(20, 15)).toBeGreaterThan(235); // inside the mask
    expect(at(50, 35)).toBeLessThan(15); // far outside
    expect(at(10, 15)).toBeGreaterThan(60); // its edge, blurred
    expect(at(10, 15)).toBeLessThan(200);
    expect(at(9, 15)).toBeLessThan(at(10, 15)); // the blur falls off outwards
    expect(out.lineage).toEqual(image.lineage);
    expect([out.width, out.height]).toEqual([60, 40]);
    expect(Math.abs((await out.load()).data[1]! - 200)).toBeLessThan(8);
  });

  it("inverts the mask on request", async () => {
    stability.reply(await imageReply(60, 40));
    await stabilityAiInpaintingBlock.run({ ...params, invert_segmentation_mask: true, preset: null, seed: 0, negative_prompt: null }, blockContext());
    const form = await formOf(stability.requests[0]!);
    expect(fieldsOf(form)).toEqual({ prompt: "a cat", output_format: "jpeg" });
    const m = await partPixels(form, "mask");
    expect(m.data[15 * 60 + 20]).toBeLessThan(20);
    expect(m.data[35 * 60 + 50]).toBeGreaterThan(240);
  });

  it("refuses masks made on an image of another size, sending nothing", async () => {
    const other = synthetic(50, 40, 3, () => 0);
    await expect(stabilityAiInpaintingBlock.run({ ...params, image: other }, blockContext())).rejects.toMatchObject({ code: "image_size_mismatch" });
    expect(stability.requests).toHaveLength(0);
  });
});

describe("stability_ai_outpainting@v1", () => {
  const image = synthetic(50, 40, 3, () => 90, "photo");
  const base = { image, creativity: 0.5, left: null, right: null, up: null, down: null, prompt: null, preset: null, seed: null, api_key: KEY };

  it("with no direction answers the image itself and sends nothing", async () => {
    const result = (await stabilityAiOutpaintingBlock.run(base, blockContext())) as { image: WorkflowImage };
    expect(result.image).toBe(image);
    expect(stability.requests).toHaveLength(0);
  });

  it("sends the directions clamped to 2000 and the creativity to [0, 1]; the image answered is larger", async () => {
    stability.reply(await imageReply(2050, 140));
    const result = (await stabilityAiOutpaintingBlock.run({ ...base, left: 3000, up: 100, creativity: 1.5, prompt: "sky", preset: "cinematic", seed: 7 }, blockContext())) as {
      image: WorkflowImage;
    };
    const sent = stability.requests[0]!;
    expect(sent.path).toBe("/v2beta/stable-image/edit/outpaint");
    const form = await formOf(sent);
    expect(fieldsOf(form)).toEqual({ output_format: "jpeg", creativity: "1", left: "2000", up: "100", style_preset: "cinematic", prompt: "sky", seed: "7" });
    expect((await partPixels(form, "image")).info.width).toBe(50);
    expect([result.image.width, result.image.height]).toEqual([2050, 140]);
    expect(result.image.lineage).toEqual(image.lineage);
  });
});

describe("Stability AI failures", () => {
  const run = () => engine().run(GENERATE, { prompt: "p", key: KEY });
  const errorBody = (name: string, message: string) => ({ id: "a1b2c3", name, errors: [message] });

  it("401: provider_auth_failed naming Stability AI, the key never in it, no retry", async () => {
    stability.reply({ status: 401, json: errorBody("unauthorized", `invalid key ${KEY}`) });
    const error = await run().then(
      () => undefined,
      (e: unknown) => e as WorkflowError,
    );
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error!.code).toBe("provider_auth_failed");
    expect(error!.message).toContain("Stability AI");
    expect(JSON.stringify({ message: error!.message, details: error!.details })).not.toContain(KEY);
    expect(stability.requests).toHaveLength(1);
  });

  it("429 with Retry-After 0 is retried; the third answer is used", async () => {
    const limited = { status: 429, json: errorBody("rate_limit_exceeded", "slow down"), headers: { "retry-after": "0" } };
    stability.reply(limited, limited, await imageReply(16, 16));
    const { outputs } = await run();
    expect(stability.requests).toHaveLength(3);
    expect((outputs[0]!["image"] as SerializedImage).type).toBe("base64");
  });

  it("429 three times: provider_rate_limited after 2 retries", async () => {
    const limited = { status: 429, json: errorBody("rate_limit_exceeded", "slow down"), headers: { "retry-after": "0" } };
    stability.reply(limited, limited, limited);
    await expect(run()).rejects.toMatchObject({ code: "provider_rate_limited" });
    expect(stability.requests).toHaveLength(3);
  });

  it("a 400 with Stability's error list: provider_error carrying its text, not retried", async () => {
    stability.reply({ status: 400, json: errorBody("bad_request", "prompt: cannot be empty") });
    await expect(run()).rejects.toMatchObject({ code: "provider_error", message: expect.stringContaining("prompt: cannot be empty") });
    expect(stability.requests).toHaveLength(1);
  });

  it("a 200 that is no image: provider_error naming what came", async () => {
    stability.reply({ status: 200, json: { finish_reason: "SUCCESS" } });
    await expect(run()).rejects.toMatchObject({ code: "provider_error", message: expect.stringContaining('no image (content-type "application/json")') });
  });

  it("the run's abort stops a call Stability never answers", async () => {
    stability.reply("hang");
    const controller = new AbortController();
    const pending = stabilityAiOutpaintingBlock.run(
      { image: synthetic(8, 8, 3, () => 0), creativity: 0.5, left: 10, right: null, up: null, down: null, prompt: null, preset: null, seed: null, api_key: KEY },
      blockContext(controller.signal),
    );
    await vi.waitFor(() => expect(stability.requests).toHaveLength(1));
    controller.abort(new WorkflowError("run_cancelled", "cancelled", 499));
    await expect(pending).rejects.toMatchObject({ code: "run_cancelled" });
  });

  it("a Roboflow-managed key is refused before anything is sent", async () => {
    await expect(engine().run(GENERATE, { prompt: "p", key: "rf_key:account" })).rejects.toMatchObject({
      code: "invalid_field",
      message: expect.stringContaining("your own Stability AI API key"),
    });
    expect(stability.requests).toHaveLength(0);
  });

  it("without the deployment allowing loopback, the call is refused: url_not_allowed", async () => {
    const closed = createWorkflowEngine({ egress: { urlPolicy: {}, endpoints: { stability: stability.url } } });
    await expect(closed.run(GENERATE, { prompt: "p", key: KEY })).rejects.toMatchObject({ code: "url_not_allowed" });
    expect(stability.requests).toHaveLength(0);
  });
});

describe.skipIf(missing("Stability AI on a photo", { photos: ["dog.jpg"] }))("stability_ai_image_gen@v1 on a photo", () => {
  it("sends an input JPEG as it came", async () => {
    stability.reply(await imageReply(16, 16));
    const bytes = readFileSync(sharedPhoto("dog.jpg"));
    const workflow = { ...GENERATE, inputs: [...GENERATE.inputs, { type: "WorkflowImage", name: "image" }], steps: [{ ...GENERATE.steps[0], image: "$inputs.image" }] };
    await engine().run(workflow, { prompt: "p", key: KEY, image: { type: "base64", value: bytes.toString("base64") } });
    const part = (await formOf(stability.requests[0]!)).get("image") as Blob;
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe.skipIf(missing("Stability AI inpainting after a segmentation model", { models: ["yolov8n-seg-640"], photos: ["bus.jpg"] }))("segmentation -> stability_ai_inpainting@v1", () => {
  it("sends the bus's mask as the model made it (blurred at its edge) and outputs Stability's image", { timeout: 30_000 }, async () => {
    const workflow = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "roboflow_core/roboflow_instance_segmentation_model@v2", name: "seg", images: "$inputs.image", model_id: "yolov8n-seg-640", class_filter: ["bus"] },
        { type: "roboflow_core/stability_ai_inpainting@v1", name: "inpaint", image: "$inputs.image", segmentation_mask: "$steps.seg.predictions", prompt: "a tram", api_key: KEY },
      ],
      outputs: [
        { type: "JsonField", name: "seg", selector: "$steps.seg.predictions" },
        { type: "JsonField", name: "image", selector: "$steps.inpaint.image" },
      ],
    };
    stability.reply(await imageReply(810, 1080, [0, 0, 255]));
    const bytes = readFileSync(sharedPhoto("bus.jpg"));
    const engine = createWorkflowEngine({ models: realModels(), egress: egress() });
    const { outputs } = await engine.run(workflow, { image: { type: "base64", value: bytes.toString("base64") } }, { serialize: false });
    const seg = outputs[0]!["seg"] as Detections;
    expect(seg.className).toEqual(["bus"]);
    const busMask = seg.masks![0]!;
    const form = await formOf(stability.requests[0]!);
    const sent = await partPixels(form, "mask");
    expect([sent.info.width, sent.info.height, sent.info.channels]).toEqual([810, 1080, 1]);
    // Thresholded at half, the blurred mask is the model's mask but for a thin band at its outline.
    let inMask = 0;
    let differ = 0;
    for (let y = 0; y < 1080; y++) {
      for (let x = 0; x < 810; x++) {
        const set = maskAt(busMask, x, y);
        if (set) inMask++;
        if (set !== sent.data[y * 810 + x]! > 127) differ++;
      }
    }
    expect(inMask).toBeGreaterThan(200_000);
    expect(differ / inMask).toBeLessThan(0.002); // 170 of 260 630 pixels when written
    const image = outputs[0]!["image"] as WorkflowImage;
    expect([image.width, image.height]).toEqual([810, 1080]);
    expect(image.lineage.parentId).toBe(seg.parentId[0]);
  });
});
