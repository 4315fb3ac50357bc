/**
 * DB detector input: the image resized so its longer side is at most 960 and both sides are
 * multiples of 32 (the network downsamples by 32), normalised with ImageNet mean and std.
 */
import type { RawPixels } from "../../images/workflow-image.js";
import type { ModelInput } from "../model-tensors.js";
import { resizePixels } from "./resize-pixels.js";
import { writePlanes } from "./tensor-planes.js";

const MAX_SIDE = 960;
const MULTIPLE = 32;
// ImageNet's statistics, listed R, G, B, which PaddleOCR applies as they are to its B, G, R
// planes (see tensor-planes.ts); the detector was trained so.
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

export function detectionSize(width: number, height: number): { width: number; height: number } {
  const ratio = Math.min(1, MAX_SIDE / Math.max(width, height));
  const snap = (side: number) => Math.max(MULTIPLE, Math.round((side * ratio) / MULTIPLE) * MULTIPLE);
  return { width: snap(width), height: snap(height) };
}

export async function detectionInput(image: RawPixels): Promise<ModelInput> {
  const { width, height } = detectionSize(image.width, image.height);
  const resized = await resizePixels(image, width, height);
  const data = new Float32Array(3 * width * height);
  writePlanes(data, 0, width, height, resized, MEAN, STD);
  return { data, dims: [1, 3, height, width] };
}
