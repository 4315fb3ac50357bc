/**
 * RGB to one channel as OpenCV's cvtColor (COLOR_RGB2GRAY, COLOR_BGR2GRAY with the channels
 * swapped) does for 8-bit images: BT.601 weights 0.299 R + 0.587 G + 0.114 B in 15-bit fixed point,
 * rounded (the weights sum to exactly 2^15). Checked against python3-opencv 4.6 on 200 000 random
 * pixels: all equal (the 14-bit form OpenCV once used differs on 0.25 % of them).
 */
import type { RawPixels } from "@cvflow/vision";

const R = 9798;
const G = 19235;
const B = 3735;

export function grayOf(r: number, g: number, b: number): number {
  return (r * R + g * G + b * B + 16384) >> 15;
}

/** The pixels as one channel; one-channel pixels are returned as they are. */
export function toGray(pixels: RawPixels): RawPixels {
  if (pixels.channels === 1) return pixels;
  const { data, width, height } = pixels;
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = grayOf(data[j]!, data[j + 1]!, data[j + 2]!);
  return { data: out, width, height, channels: 1 };
}
