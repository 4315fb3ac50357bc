/**
 * Text strips as one batch for the direction classifier or the recogniser: each resized to
 * height 48 keeping its aspect ratio (but no wider than the batch), normalised to [-1, 1],
 * left-aligned and zero-padded on the right to the batch width.
 */
import type { RawPixels } from "../../images/workflow-image.js";
import type { ModelInput } from "../model-tensors.js";
import { resizePixels } from "./resize-pixels.js";
import { writePlanes } from "./tensor-planes.js";

export const STRIP_HEIGHT = 48;
const HALF = [0.5, 0.5, 0.5] as const;

/** Width of the strip at height 48. */
export function stripWidth(strip: RawPixels): number {
  return Math.max(1, Math.ceil((STRIP_HEIGHT * strip.width) / strip.height));
}

export async function stripBatch(strips: readonly RawPixels[], batchWidth: number): Promise<ModelInput> {
  const data = new Float32Array(strips.length * 3 * STRIP_HEIGHT * batchWidth);
  const resized = await Promise.all(strips.map((strip) => resizePixels(strip, Math.min(batchWidth, stripWidth(strip)), STRIP_HEIGHT)));
  resized.forEach((pixels, slot) => writePlanes(data, slot, batchWidth, STRIP_HEIGHT, pixels, HALF, HALF));
  return { data, dims: [strips.length, 3, STRIP_HEIGHT, batchWidth] };
}
