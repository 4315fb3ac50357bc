/**
 * RGB to one channel as OpenCV's COLOR_BGR2GRAY does for 8-bit images: BT.601 weights
 * 0.299 R + 0.587 G + 0.114 B in 14-bit fixed point, rounded (the weights sum to exactly 2^14).
 */
import type { RawPixels } from "@cvflow/vision";

const R = 4899;
const G = 9617;
const B = 1868;

export function grayOf(r: number, g: number, b: number): number {
  return (r * R + g * G + b * B + 8192) >> 14;
}

/** The pixels as one channel; one-channel pixels are returned as they are. */
export function toGray(pixels: RawPixels): RawPixels {
  if (pixels.channels === 1) return pixels;
  const { data, width, height } = pixels;
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = grayOf(data[j]!, data[j + 1]!, data[j + 2]!);
  return { data: out, width, height, channels: 1 };
}
