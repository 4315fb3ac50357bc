/** Shared by the models-*.test.ts files: photos decoded for the models, and box arithmetic. */
import sharp from "sharp";
import type { RawPixels } from "../src/images/workflow-image.js";
import { examplePhoto, sharedPhoto } from "./test-assets.js";

/** A shared photo (../shared/images), decoded to RGB. */
export function loadImage(name: string): Promise<RawPixels> {
  return loadPixels(sharedPhoto(name));
}

/** One of the repository's photos (examples/images), decoded to RGB. */
export function loadExample(name: string): Promise<RawPixels> {
  return loadPixels(examplePhoto(name));
}

async function loadPixels(path: string): Promise<RawPixels> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

export type Box = readonly [number, number, number, number];

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

export function boxAt(boxes: Float32Array, i: number): Box {
  return [boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!];
}
