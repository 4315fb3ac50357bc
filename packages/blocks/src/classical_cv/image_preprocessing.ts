/**
 * Image Preprocessing: one geometric step — resize (OpenCV INTER_AREA; a missing width or height
 * follows the aspect ratio), rotate (canvas enlarged to hold the result; OpenCV's sense, so a
 * positive angle turns counter-clockwise) or flip. The lineage stays that of the input image.
 */
import { defineBlock } from "@cvflow/engine";
import { checkRunImage, type RawPixels, type WorkflowImage } from "@cvflow/vision";
import { invalidPreprocessing } from "../errors.js";
import { resizeArea } from "./resize-area.js";
import { rotate, rotatedSize } from "./warp-affine.js";

const TASKS = ["resize", "rotate", "flip"] as const;
const FLIPS = ["vertical", "horizontal", "both"] as const;

interface ImagePreprocessingParams {
  [key: string]: unknown;
  image: WorkflowImage;
  task_type: (typeof TASKS)[number];
  width: number | null;
  height: number | null;
  rotation_degrees: number | null;
  flip_type: string | null;
}

export const imagePreprocessingBlock = defineBlock<ImagePreprocessingParams>({
  manifest: {
    type: "roboflow_core/image_preprocessing@v1",
    name: "Image Preprocessing",
    description: "Resize, flip, or rotate an image.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to transform.", kinds: ["image"], aliases: ["images"], required: true },
      task_type: { description: "The transformation: resize, rotate or flip.", schema: { enum: TASKS }, required: true },
      width: { description: "Width to resize to (resize).", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 640 },
      height: { description: "Height to resize to (resize).", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 640 },
      rotation_degrees: {
        description: "Angle to rotate by, -360 to 360 (rotate); positive turns counter-clockwise, as OpenCV does.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: -360, maximum: 360 },
        default: 90,
      },
      flip_type: { description: "vertical, horizontal or both (flip).", kinds: ["string"], schema: { enum: FLIPS }, default: "vertical" },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image, task_type, width, height, rotation_degrees, flip_type }) {
    return { image: image.withPixels(transform(image.pixels, task_type, width, height, rotation_degrees, flip_type)) };
  },
});

function transform(pixels: RawPixels, task: string, width: number | null, height: number | null, degrees: number | null, flipType: string | null): RawPixels {
  switch (task) {
    case "resize":
      return resize(pixels, width, height);
    case "rotate": {
      if (degrees !== null && (degrees < -360 || degrees > 360)) throw invalidPreprocessing("rotation_degrees must be between -360 and 360");
      if (degrees === null || degrees === 0) return pixels;
      // The canvas grows to hold the turned image: up to twice its pixels.
      const size = rotatedSize(pixels.width, pixels.height, degrees);
      checkRunImage(size.width, size.height, `the rotated image (${size.width}x${size.height})`);
      return rotate(pixels, degrees);
    }
    case "flip":
      if (flipType !== null && !(FLIPS as readonly string[]).includes(flipType)) throw invalidPreprocessing(`flip_type must be one of ${FLIPS.join(", ")}`);
      checkRunImage(pixels.width, pixels.height, `the flipped image (${pixels.width}x${pixels.height})`);
      return flip(pixels, flipType === "vertical" || flipType === "both", flipType === "horizontal" || flipType === "both");
    default:
      throw invalidPreprocessing(`task_type must be one of ${TASKS.join(", ")}; got ${JSON.stringify(task)}`);
  }
}

function resize(pixels: RawPixels, width: number | null, height: number | null): RawPixels {
  if (width === null && height === null) return pixels;
  if ((width !== null && width <= 0) || (height !== null && height <= 0)) throw invalidPreprocessing("width and height must be greater than 0");
  // The missing side follows the aspect ratio, truncated to whole pixels.
  const w = width ?? Math.trunc(pixels.width * (height! / pixels.height));
  const h = height ?? Math.trunc(pixels.height * (width! / pixels.width));
  // A resize up can ask for any size: refused before its pixels are allocated if over the limits.
  checkRunImage(w, h, `the resized image (${w}x${h})`);
  return resizeArea(pixels, w, h);
}

function flip(pixels: RawPixels, vertical: boolean, horizontal: boolean): RawPixels {
  const { data, width, height, channels } = pixels;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const sy = vertical ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const sx = horizontal ? width - 1 - x : x;
      out.set(data.subarray((sy * width + sx) * channels, (sy * width + sx + 1) * channels), (y * width + x) * channels);
    }
  }
  return { data: out, width, height, channels };
}
