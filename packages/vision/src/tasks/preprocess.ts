/**
 * Image → network input, kept apart from running the network: resize (letterbox, stretch, or
 * short side + centre crop) with sharp, then normalise into planar (NCHW) float32, in the
 * channel order the model wants. The transform returned maps input pixels back to the image.
 */
import type { Region } from "sharp";
import { resizePixels, WorkflowImage, type RawPixels } from "../images/workflow-image.js";
import type { ModelImage, ModelSpec } from "../models/types.js";
import { freeNow } from "./free-now.js";

/** Where the image landed in the network input: input = image × scale + offset, per axis. */
export interface InputTransform {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

/** The image's pixels, resized, and where they go in the input plane. */
interface Placed {
  pixels: RawPixels;
  left: number;
  top: number;
  transform: InputTransform;
}

/** Floats in one image's input tensor (3 × height × width). */
export function inputLength(spec: ModelSpec): number {
  return 3 * spec.input.width * spec.input.height;
}

/**
 * Writes the input for `image` into `out` at image slot `batchIndex` (of a [N, 3, H, W] tensor)
 * and says where the image went.
 */
export async function prepareInput(image: ModelImage, spec: ModelSpec, out: Float32Array, batchIndex = 0): Promise<InputTransform> {
  const placed = await place(image, spec);
  writePlanes(placed, spec, out.subarray(batchIndex * inputLength(spec), (batchIndex + 1) * inputLength(spec)));
  // Resized pixels are sharp's output, made for this input alone; the image's own ones (no resize) are kept.
  if (placed.pixels.data !== ownPixels(image)) freeNow(placed.pixels.data);
  return placed.transform;
}

/** Image coordinates of an input-space point. */
export function toImageX(transform: InputTransform, x: number): number {
  return (x - transform.offsetX) / transform.scaleX;
}

export function toImageY(transform: InputTransform, y: number): number {
  return (y - transform.offsetY) / transform.scaleY;
}

async function place(image: ModelImage, spec: ModelSpec): Promise<Placed> {
  const { width: inW, height: inH } = spec.input;
  const { width, height } = image;
  const prep = spec.preprocessing;
  if (prep.resize === "letterbox") {
    const ratio = Math.min(inW / width, inH / height);
    const w = Math.max(1, Math.min(inW, Math.round(width * ratio)));
    const h = Math.max(1, Math.min(inH, Math.round(height * ratio)));
    const left = Math.floor((inW - w) / 2);
    const top = Math.floor((inH - h) / 2);
    return { pixels: await resize(image, w, h), left, top, transform: { scaleX: w / width, scaleY: h / height, offsetX: left, offsetY: top } };
  }
  if (prep.resize === "stretch") {
    return { pixels: await resize(image, inW, inH), left: 0, top: 0, transform: { scaleX: inW / width, scaleY: inH / height, offsetX: 0, offsetY: 0 } };
  }
  const short = prep.resizeShort ?? Math.min(inW, inH);
  const ratio = short / Math.min(width, height);
  const w = Math.max(inW, Math.round(width * ratio));
  const h = Math.max(inH, Math.round(height * ratio));
  const cropLeft = Math.floor((w - inW) / 2);
  const cropTop = Math.floor((h - inH) / 2);
  return {
    pixels: await resize(image, w, h, { left: cropLeft, top: cropTop, width: inW, height: inH }),
    left: 0,
    top: 0,
    transform: { scaleX: w / width, scaleY: h / height, offsetX: -cropLeft, offsetY: -cropTop },
  };
}

function ownPixels(image: ModelImage): Uint8Array | undefined {
  if (!(image instanceof WorkflowImage)) return image.data;
  return image.isDecoded ? image.pixels.data : undefined;
}

function resize(image: ModelImage, width: number, height: number, crop?: Region): Promise<RawPixels> {
  return image instanceof WorkflowImage ? image.resized(width, height, crop) : resizePixels(image, width, height, crop);
}

/**
 * (v × scale − mean) / std into three planes; the letterbox border gets the pad value. One pass
 * over the pixels writes all three planes (each pixel's bytes are read once, not once per plane),
 * and the pad goes only where no pixel does: filling whole planes first wrote a 640 detector's
 * 4.9 MB input nearly twice for a 4:3 frame (it runs on the main thread, between model runs).
 */
function writePlanes(placed: Placed, spec: ModelSpec, out: Float32Array): void {
  const { width: inW, height: inH } = spec.input;
  const prep = spec.preprocessing;
  const plane = inW * inH;
  const { pixels, left, top } = placed;
  const { data, width, height, channels } = pixels;
  // Plane c is fed from RGB channel source[c] (BGR models get blue first); gray feeds all three.
  const source = [0, 1, 2].map((c) => (prep.channelOrder === "BGR" ? 2 - c : c));
  const gain = source.map((s) => prep.scale / (prep.std?.[s] ?? 1));
  const bias = source.map((s) => -(prep.mean?.[s] ?? 0) / (prep.std?.[s] ?? 1));
  const [from0, from1, from2] = channels === 1 ? [0, 0, 0] : source;
  const [g0, g1, g2] = gain as [number, number, number];
  const [b0, b1, b2] = bias as [number, number, number];
  const p0 = out.subarray(0, plane);
  const p1 = out.subarray(plane, 2 * plane);
  const p2 = out.subarray(2 * plane, 3 * plane);
  if (width !== inW || height !== inH) {
    const pad = prep.pad ?? 0;
    padBorder(p0, pad * g0 + b0, placed, inW);
    padBorder(p1, pad * g1 + b1, placed, inW);
    padBorder(p2, pad * g2 + b2, placed, inW);
  }
  for (let y = 0; y < height; y++) {
    let read = y * width * channels;
    let write = (top + y) * inW + left;
    const end = write + width;
    for (; write < end; write++, read += channels) {
      p0[write] = data[read + from0!]! * g0 + b0;
      p1[write] = data[read + from1!]! * g1 + b1;
      p2[write] = data[read + from2!]! * g2 + b2;
    }
  }
}

/** `value` in the plane's rows above and below the pixels, and left and right of them in between. */
function padBorder(plane: Float32Array, value: number, placed: Placed, inW: number): void {
  const { left, top } = placed;
  const { width, height } = placed.pixels;
  plane.fill(value, 0, top * inW);
  plane.fill(value, (top + height) * inW);
  if (width === inW) return;
  for (let y = top; y < top + height; y++) {
    plane.fill(value, y * inW, y * inW + left);
    plane.fill(value, y * inW + left + width, (y + 1) * inW);
  }
}
