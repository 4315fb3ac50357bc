/**
 * Stability AI's image blocks (v1 each): generation from a prompt (optionally varying an image),
 * inpainting under a segmentation's masks, outpainting beyond the image's edges — Stability's
 * v2beta Stable Image API, a multipart form per call, the answer an image (`accept: image/*`),
 * JPEG as Roboflow asks for it. The fields, defaults and clamps are Roboflow's; so are the images
 * sent (the image as JPEG; the inpainting mask white on black, blurred by a 15x15 Gaussian).
 *
 * Differences from Roboflow's blocks, each where Roboflow's sends what Stability's reference does
 * not read: a `preset` goes as Stability's `style_preset` (Roboflow's comparison of an enum with
 * strings never lets one through), inpainting sends its `negative_prompt` (Roboflow's drops it),
 * and sd3 given an image is asked for `mode: image-to-image` (without it sd3 makes text-to-image).
 */
import { defineBlock, type BlockContext, type Detections, type FieldSpec } from "@cvflow/engine";
import { chargeRunImage, inputLineage, openImage, serializeImage, type ImageLineage, type WorkflowImage } from "@cvflow/vision";
import sharp from "sharp";
import { gaussianBlur } from "../../classical_cv/gaussian-blur.js";
import { reflect101 } from "../../classical_cv/border.js";
import { endpoint } from "../../egress/egress.js";
import { imageSizeMismatch, providerFailed } from "../../errors.js";
import { callApi } from "./llm/call-json-api.js";
import { providerKey } from "./llm/api-key.js";

/** The provider as errors name it. */
const PROVIDER = "Stability AI";
export const STABILITY_BASE = "https://api.stability.ai";
export const GENERATE_PATHS = {
  ultra: "/v2beta/stable-image/generate/ultra",
  core: "/v2beta/stable-image/generate/core",
  sd3: "/v2beta/stable-image/generate/sd3",
} as const;
export const INPAINT_PATH = "/v2beta/stable-image/edit/inpaint";
export const OUTPAINT_PATH = "/v2beta/stable-image/edit/outpaint";

export const STYLE_PRESETS = [
  "3d-model",
  "analog-film",
  "anime",
  "cinematic",
  "comic-book",
  "digital-art",
  "enhance",
  "fantasy-art",
  "isometric",
  "line-art",
  "low-poly",
  "modeling-compound",
  "neon-punk",
  "origami",
  "photographic",
  "pixel-art",
  "tile-texture",
] as const;

/** Stability's largest seed; Roboflow clamps into [0, this] and sends none for 0. */
const MAX_SEED = 4_294_967_294;
/** Roboflow's largest outpainting in one direction, in pixels. */
const MAX_OUTPAINT = 2000;
/** Roboflow blurs the mask with cv2.GaussianBlur(mask, (15, 15), 0). */
const MASK_BLUR_KSIZE = 15;

/** A file part of the multipart form. */
interface FilePart {
  name: string;
  bytes: Uint8Array;
  type: string;
}

/** The multipart body (and its content-type, with the boundary) of `fields` and `files`, as requests' `files=`/`data=` send them. */
export async function multipartBody(fields: Readonly<Record<string, string | number>>, files: readonly FilePart[]): Promise<{ body: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  for (const file of files) form.append(file.name, new Blob([file.bytes], { type: file.type }), file.name);
  const request = new Request("http://form.invalid", { method: "POST", body: form });
  return { body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

/** The image's JPEG bytes: an input's own JPEG as it came, else encoded at Roboflow's quality (as the image serializer does). */
async function jpegOf(image: WorkflowImage): Promise<Uint8Array> {
  return Buffer.from((await serializeImage(image)).value, "base64");
}

/** The image Stability answered, with `lineage`, charged to the run's image budget. */
async function answerImage(bytes: Uint8Array, lineage: ImageLineage): Promise<WorkflowImage> {
  const image = await openImage(bytes, lineage);
  chargeRunImage(image.width, image.height, `Stability AI's image of ${image.width}x${image.height}`);
  return image;
}

/** POSTs the form to Stability and gives the image bytes it answers; failures are the LLM core's provider errors. */
async function postForm(ctx: BlockContext, path: string, key: string, fields: Record<string, string | number>, files: FilePart[]): Promise<Uint8Array> {
  const { body, contentType } = await multipartBody(fields, files);
  const answer = await callApi(ctx, {
    provider: PROVIDER,
    url: `${endpoint(ctx, "stability", STABILITY_BASE)}${path}`,
    headers: { authorization: `Bearer ${key}`, accept: "image/*", "content-type": contentType },
    body,
    secrets: [key],
  });
  const type = answer.headers["content-type"] ?? "";
  if (!type.startsWith("image/")) {
    throw providerFailed("provider_error", `${PROVIDER} answered ${answer.status} with no image (content-type "${type}")`, { provider: PROVIDER, status: answer.status });
  }
  return answer.body;
}

/** Roboflow's seed rule: a given, non-zero seed clamped into Stability's range; none otherwise. */
export function seedOf(seed: number | null | undefined): number | undefined {
  return seed ? Math.max(0, Math.min(MAX_SEED, seed)) : undefined;
}

function optional<T>(name: string, value: T | undefined | null | "" | 0): Record<string, T> {
  return value === undefined || value === null || value === "" || value === 0 ? {} : { [name]: value };
}

const KEY_FIELD: FieldSpec = {
  description: "Your Stability AI API key (a string, a parameter or an environment_secrets_store output).",
  kinds: ["string", "secret"],
  schema: { type: "string" },
  required: true,
};

const PRESET_FIELD: FieldSpec = {
  description: `Optional style preset (sent as Stability's style_preset); without one, none is applied. Available presets: ${STYLE_PRESETS.join(", ")}.`,
  schema: { type: "string", enum: [...STYLE_PRESETS] },
  default: null,
};
const SEED_FIELD: FieldSpec = {
  description: "A value that guides the 'randomness' of the generation, 0 to 4294967294; without one, a random seed is used.",
  kinds: ["integer"],
  schema: { type: "integer" },
  default: null,
};
const textOrSelector = (description: string, required: boolean): FieldSpec => ({
  description,
  kinds: ["string"],
  schema: { type: "string" },
  ...(required ? { required: true } : { default: null }),
});

// ---------------------------------------------------------------- image generation

interface ImageGenParams {
  [key: string]: unknown;
  image: WorkflowImage | null;
  strength: number;
  prompt: string;
  negative_prompt: string | null;
  model: string | null;
  api_key: unknown;
}

/** The endpoint of `model` (Roboflow's rule: anything unknown is core) and the form Roboflow sends it. */
export function imageGenForm(params: Pick<ImageGenParams, "strength" | "prompt" | "negative_prompt" | "model">, withImage: boolean): { path: string; fields: Record<string, string | number> } {
  const model = params.model !== null && Object.hasOwn(GENERATE_PATHS, params.model) ? (params.model as keyof typeof GENERATE_PATHS) : "core";
  const fields: Record<string, string | number> = { prompt: params.prompt, output_format: "jpeg" };
  if (withImage) {
    fields["strength"] = params.strength;
    if (model === "sd3") fields["mode"] = "image-to-image";
  }
  if (params.negative_prompt !== null) fields["negative_prompt"] = params.negative_prompt;
  return { path: GENERATE_PATHS[model], fields };
}

export const stabilityAiImageGenBlock = defineBlock<ImageGenParams>({
  manifest: {
    type: "roboflow_core/stability_ai_image_gen@v1",
    name: "Stability AI Image Generation",
    description:
      "Generate new images from text, or create variations of an existing image, with Stability AI's Stable Image API (core, ultra or sd3). " +
      "Sends the prompt (and the image as JPEG) to api.stability.ai with your own Stability AI API key; the image generated is a new image.",
    family: "models",
    fields: {
      image: { description: "The image to use as the starting point for the generation.", kinds: ["image"], default: null },
      strength: {
        description:
          "How much influence the image has on the generated one: 0 yields an image identical to the input, 1 as if no image were given.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number" },
        default: 0.3,
      },
      prompt: textOrSelector("Prompt to generate new images from text (what you wish to see).", true),
      negative_prompt: textOrSelector("Negative prompt to the image generation model (what you do not wish to see).", false),
      model: { description: "One of core, ultra, sd3 (anything else is core).", kinds: ["string"], schema: { type: ["string", "null"] }, default: "core" },
      api_key: KEY_FIELD,
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  async run(params, ctx) {
    const key = providerKey(params.api_key, PROVIDER);
    const { path, fields } = imageGenForm(params, params.image !== null);
    const files = params.image === null ? [] : [{ name: "image", bytes: await jpegOf(params.image), type: "image/jpeg" }];
    const bytes = await postForm(ctx, path, key, fields, files);
    // A new image, not derived from the input's pixels: its own root, as Roboflow's new parent id.
    return { image: await answerImage(bytes, inputLineage(crypto.randomUUID())) };
  },
});

// ---------------------------------------------------------------- inpainting

interface InpaintingParams {
  [key: string]: unknown;
  image: WorkflowImage;
  segmentation_mask: Detections;
  prompt: string;
  negative_prompt: string | null;
  api_key: unknown;
  invert_segmentation_mask: boolean;
  preset: string | null;
  seed: number | null;
}

/**
 * The mask Roboflow sends: every detection's mask white on a black image of the image's size,
 * blurred by OpenCV's 15x15 Gaussian (sigma from the size), inverted on request — one channel,
 * as Stability reads the mask's luminance (Roboflow's three channels hold this same value).
 */
export async function inpaintingMask(masks: Detections, width: number, height: number, invert: boolean): Promise<Uint8Array> {
  if (masks.image.width !== width || masks.image.height !== height) {
    throw imageSizeMismatch(
      `segmentation_mask was made on an image of ${masks.image.width}x${masks.image.height}, the image is ${width}x${height}`,
      "segmentation_mask",
    );
  }
  const white = new Uint8Array(width * height);
  for (const mask of masks.masks ?? []) {
    if (!mask) continue;
    for (let row = 0; row < mask.rows; row++) {
      const from = row * mask.columns;
      const to = (mask.top + row) * width + mask.left;
      for (let column = 0; column < mask.columns; column++) if (mask.data[from + column]) white[to + column] = 255;
    }
  }
  const blurred = gaussianBlur({ data: white, width, height, channels: 1 }, MASK_BLUR_KSIZE, reflect101).data;
  if (invert) for (let i = 0; i < blurred.length; i++) blurred[i] = 255 - blurred[i]!;
  return sharp(blurred, { raw: { width, height, channels: 1 } }).toColourspace("b-w").jpeg({ quality: 95, optimiseCoding: false }).toBuffer();
}

/** The form fields of an inpainting call. */
export function inpaintingForm(params: Pick<InpaintingParams, "prompt" | "negative_prompt" | "preset" | "seed">): Record<string, string | number> {
  return {
    prompt: params.prompt,
    output_format: "jpeg",
    ...optional("negative_prompt", params.negative_prompt),
    ...optional("style_preset", params.preset),
    ...optional("seed", seedOf(params.seed)),
  };
}

export const stabilityAiInpaintingBlock = defineBlock<InpaintingParams>({
  manifest: {
    type: "roboflow_core/stability_ai_inpainting@v1",
    name: "Stability AI Inpainting",
    description:
      "Use segmentation masks to inpaint objects within an image with Stability AI's inpainting API. " +
      "Sends the image and a mask made from the segmentation (JPEG) to api.stability.ai with your own Stability AI API key; the answer replaces the image's pixels.",
    family: "models",
    fields: {
      image: { description: "The image to inpaint.", kinds: ["image"], required: true },
      segmentation_mask: { description: "Model predictions from a segmentation model.", kinds: ["instance_segmentation_prediction"], required: true },
      prompt: textOrSelector("Prompt to the inpainting model (what you wish to see).", true),
      negative_prompt: textOrSelector("Negative prompt to the inpainting model (what you do not wish to see).", false),
      api_key: KEY_FIELD,
      invert_segmentation_mask: {
        description: "Invert the segmentation mask to inpaint the background instead of the foreground.",
        kinds: ["boolean"],
        schema: { type: "boolean" },
        default: false,
      },
      preset: PRESET_FIELD,
      seed: SEED_FIELD,
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  async run(params, ctx) {
    const key = providerKey(params.api_key, PROVIDER);
    const { image } = params;
    const mask = await inpaintingMask(params.segmentation_mask, image.width, image.height, params.invert_segmentation_mask);
    const files = [
      { name: "image", bytes: await jpegOf(image), type: "image/jpeg" },
      { name: "mask", bytes: mask, type: "image/jpeg" },
    ];
    const bytes = await postForm(ctx, INPAINT_PATH, key, inpaintingForm(params), files);
    return { image: await answerImage(bytes, image.lineage) };
  },
});

// ---------------------------------------------------------------- outpainting

/** What shapes an outpainting call's form. */
interface OutpaintingSettings {
  creativity: number;
  left: number | null;
  right: number | null;
  up: number | null;
  down: number | null;
  prompt: string | null;
  preset: string | null;
  seed: number | null;
}

interface OutpaintingParams extends OutpaintingSettings {
  [key: string]: unknown;
  image: WorkflowImage;
  api_key: unknown;
}

/** The form fields of an outpainting call; undefined when no direction asks for pixels (Roboflow then answers the image itself). */
export function outpaintingForm(params: OutpaintingSettings): Record<string, string | number> | undefined {
  const side = (value: number | null) => (value ? Math.max(0, Math.min(MAX_OUTPAINT, value)) : 0);
  const sides = { left: side(params.left), right: side(params.right), up: side(params.up), down: side(params.down) };
  if (!Object.values(sides).some(Boolean)) return undefined;
  return {
    output_format: "jpeg",
    creativity: Math.max(0, Math.min(1, params.creativity)),
    ...optional("left", sides.left),
    ...optional("right", sides.right),
    ...optional("up", sides.up),
    ...optional("down", sides.down),
    ...optional("style_preset", params.preset),
    ...optional("prompt", params.prompt),
    ...optional("seed", seedOf(params.seed)),
  };
}

const pixelsField = (side: string): FieldSpec => ({
  description: `Number of pixels to outpaint on the ${side} side of the image. Max value is ${MAX_OUTPAINT}.`,
  kinds: ["integer"],
  schema: { type: "integer" },
  default: null,
});

export const stabilityAiOutpaintingBlock = defineBlock<OutpaintingParams>({
  manifest: {
    type: "roboflow_core/stability_ai_outpainting@v1",
    name: "Stability AI Outpainting",
    description:
      "Extend an image beyond its edges in the directions given with Stability AI's outpainting API; with no direction given, the image comes back as it is. " +
      "Sends the image (JPEG) to api.stability.ai with your own Stability AI API key.",
    family: "models",
    fields: {
      image: { description: "The image to outpaint.", kinds: ["image"], required: true },
      creativity: {
        description: "Creativity of the outpainting, 0 to 1: higher values give more creative results.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number" },
        default: 0.5,
      },
      left: pixelsField("left"),
      right: pixelsField("right"),
      up: pixelsField("top"),
      down: pixelsField("bottom"),
      prompt: textOrSelector("Optional prompt for the outpainting (what you wish to see); without one, none is used.", false),
      preset: PRESET_FIELD,
      seed: SEED_FIELD,
      api_key: KEY_FIELD,
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  async run(params, ctx) {
    const fields = outpaintingForm(params);
    if (!fields) return { image: params.image };
    const key = providerKey(params.api_key, PROVIDER);
    const bytes = await postForm(ctx, OUTPAINT_PATH, key, fields, [{ name: "image", bytes: await jpegOf(params.image), type: "image/jpeg" }]);
    return { image: await answerImage(bytes, params.image.lineage) };
  },
});

export const stabilityAiBlocks = [stabilityAiImageGenBlock, stabilityAiInpaintingBlock, stabilityAiOutpaintingBlock];
