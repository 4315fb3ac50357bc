/**
 * Rotation as the reference implementation does it with OpenCV: getRotationMatrix2D about the
 * integer centre (w // 2, h // 2) — a positive angle turns the picture counter-clockwise — on a
 * canvas enlarged to hold the whole rotated image, then warpAffine with bilinear interpolation
 * and a black border. warpAffine's arithmetic is reproduced: the inverted matrix sampled in
 * 1/1024 px, coordinates rounded to 1/32 px, 15-bit interpolation weights.
 */
import type { RawPixels } from "@cvflow/vision";
import { roundHalfEven as cvRound } from "../common/python-numbers.js";

/** The canvas that holds an image of width x height turned by `degrees`. */
export function rotatedSize(width: number, height: number, degrees: number): { width: number; height: number } {
  const angle = (degrees * Math.PI) / 180;
  const a = Math.abs(Math.cos(angle));
  const b = Math.abs(Math.sin(angle));
  return { width: Math.trunc(height * b + width * a), height: Math.trunc(height * a + width * b) };
}

export function rotate(pixels: RawPixels, degrees: number): RawPixels {
  const { width, height } = pixels;
  const cx = Math.floor(width / 2);
  const cy = Math.floor(height / 2);
  const angle = (degrees * Math.PI) / 180;
  const a = Math.cos(angle);
  const b = Math.sin(angle);
  const m = [a, b, (1 - a) * cx - b * cy, -b, a, b * cx + (1 - a) * cy];
  const { width: newWidth, height: newHeight } = rotatedSize(width, height, degrees);
  m[2]! += newWidth / 2 - cx;
  m[5]! += newHeight / 2 - cy;
  return warpAffine(pixels, m, newWidth, newHeight);
}

const INTER_BITS = 5;
const INTER_TAB_SIZE = 1 << INTER_BITS;
const AB_BITS = 10;
const AB_SCALE = 1 << AB_BITS;
const ROUND_DELTA = AB_SCALE / INTER_TAB_SIZE / 2;

/** Destination pixel (x, y) samples the source at the inverse of `forward` applied to (x, y). */
function warpAffine(pixels: RawPixels, forward: readonly number[], width: number, height: number): RawPixels {
  const [m0, m1, m2, m3, m4, m5] = forward as [number, number, number, number, number, number];
  let det = m0 * m4 - m1 * m3;
  det = det !== 0 ? 1 / det : 0;
  const i0 = m4 * det, i1 = -m1 * det, i3 = -m3 * det, i4 = m0 * det;
  const i2 = -i0 * m2 - i1 * m5;
  const i5 = -i3 * m2 - i4 * m5;
  const { data, channels } = pixels;
  const sw = pixels.width, sh = pixels.height;
  const out = new Uint8Array(width * height * channels);
  const sample = (sx: number, sy: number, c: number): number => (sx >= 0 && sy >= 0 && sx < sw && sy < sh ? data[(sy * sw + sx) * channels + c]! : 0);
  for (let y = 0; y < height; y++) {
    const x0 = cvRound((i1 * y + i2) * AB_SCALE) + ROUND_DELTA;
    const y0 = cvRound((i4 * y + i5) * AB_SCALE) + ROUND_DELTA;
    for (let x = 0; x < width; x++) {
      const X = (x0 + cvRound(i0 * x * AB_SCALE)) >> (AB_BITS - INTER_BITS);
      const Y = (y0 + cvRound(i3 * x * AB_SCALE)) >> (AB_BITS - INTER_BITS);
      const sx = X >> INTER_BITS, sy = Y >> INTER_BITS;
      if (sx >= sw || sx + 1 < 0 || sy >= sh || sy + 1 < 0) continue; // wholly outside: border colour 0
      const fx = X & (INTER_TAB_SIZE - 1), fy = Y & (INTER_TAB_SIZE - 1);
      // Weights in 1/32768: products of the 1/32 fractions, exact.
      const w00 = (INTER_TAB_SIZE - fx) * (INTER_TAB_SIZE - fy) * 32;
      const w01 = fx * (INTER_TAB_SIZE - fy) * 32;
      const w10 = (INTER_TAB_SIZE - fx) * fy * 32;
      const w11 = fx * fy * 32;
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const v = sample(sx, sy, c) * w00 + sample(sx + 1, sy, c) * w01 + sample(sx, sy + 1, c) * w10 + sample(sx + 1, sy + 1, c) * w11;
        out[o + c] = Math.min(255, (v + (1 << 14)) >> 15);
      }
    }
  }
  return { data: out, width, height, channels };
}
