/**
 * Gaussian blur on 8-bit pixels as OpenCV's bit-exact GaussianBlur computes it (sigma from the
 * kernel size): a separable kernel in 8-bit fixed point (coefficients summing to 256), a
 * horizontal pass kept exactly, a vertical pass, then rounding to nearest. Sizes 3 to 9 use
 * OpenCV's fixed tables; other sizes sample the Gaussian and quantise it with OpenCV's error
 * diffusion, the centre taking what is left.
 */
import type { RawPixels } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";
import { borderIndex, type Border } from "./border.js";

const TABLES: Readonly<Record<number, readonly number[]>> = {
  1: [256],
  3: [64, 128, 64],
  5: [16, 64, 96, 64, 16],
  7: [8, 28, 56, 72, 56, 28, 8],
  9: [4, 13, 30, 51, 60, 51, 30, 13, 4],
};

export function gaussianKernel(ksize: number): number[] {
  const table = TABLES[ksize];
  if (table) return [...table];
  const sigma = 0.15 * ksize + 0.35; // OpenCV's 0.3 * ((ksize - 1) / 2 - 1) + 0.8
  const half = (ksize - 1) / 2;
  const side = Array.from({ length: half }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const total = 2 * side.reduce((a, b) => a + b, 0) + 1;
  const kernel = new Array<number>(ksize);
  let err = 0;
  let sum = 0;
  side.forEach((v, i) => {
    const adjusted = (v / total) * 256 + err;
    const q = roundHalfEven(adjusted);
    err = adjusted - q;
    kernel[i] = kernel[ksize - 1 - i] = q;
    sum += q;
  });
  kernel[half] = 256 - 2 * sum;
  return kernel;
}

export function gaussianBlur(pixels: RawPixels, ksize: number, border: Border): RawPixels {
  const { data, width, height, channels } = pixels;
  const kernel = gaussianKernel(ksize);
  const r = Math.floor(ksize / 2);
  const cols = borderIndex(width, r, r, border);
  const rows = borderIndex(height, r, r, border);
  const rowBytes = width * channels;
  const horizontal = new Int32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < ksize; k++) s += kernel[k]! * data[(y * width + cols[x + k]!) * channels + c]!;
        horizontal[y * rowBytes + x * channels + c] = s;
      }
    }
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < rowBytes; i++) {
      let s = 0;
      for (let k = 0; k < ksize; k++) s += kernel[k]! * horizontal[rows[y + k]! * rowBytes + i]!;
      out[y * rowBytes + i] = Math.min(255, (s + 32768) >> 16);
    }
  }
  return { data: out, width, height, channels };
}
