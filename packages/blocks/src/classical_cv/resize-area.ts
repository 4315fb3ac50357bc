/**
 * Resizing 8-bit pixels as OpenCV's resize with INTER_AREA: shrinking averages each output
 * pixel's footprint, weighting partly covered source pixels by their coverage (a whole-number
 * factor is a plain block average); enlarging (either axis) falls back to a linear blend whose
 * weights snap to the nearest source pixel except at the seams, in 11-bit fixed point.
 * Results can differ from OpenCV's SIMD paths by one unit where they round differently.
 */
import type { RawPixels } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";

/** For each output index, the source indices it draws on and their weights. */
type Taps = { index: number; weight: number }[][];

export function resizeArea(pixels: RawPixels, width: number, height: number): RawPixels {
  const scaleX = pixels.width / width;
  const scaleY = pixels.height / height;
  if (scaleX >= 1 && scaleY >= 1) {
    const fast = isWhole(scaleX) && isWhole(scaleY);
    // OpenCV's 2×2 average is computed as (a + b + c + d + 2) >> 2, rounding ties up.
    const round = fast && Math.round(scaleX) === 2 && Math.round(scaleY) === 2 ? Math.round : roundHalfEven;
    return separable(pixels, width, height, areaTaps(pixels.width, width, scaleX), areaTaps(pixels.height, height, scaleY), round);
  }
  return enlarge(pixels, width, height);
}

function isWhole(scale: number): boolean {
  return Math.abs(scale - Math.round(scale)) < Number.EPSILON;
}

/** OpenCV's computeResizeAreaTab: coverage of each source pixel by an output pixel's footprint. */
function areaTaps(src: number, dst: number, scale: number): Taps {
  return Array.from({ length: dst }, (_, d) => {
    const f1 = d * scale;
    const f2 = f1 + scale;
    const cell = Math.min(scale, src - f1);
    const s2 = Math.min(Math.floor(f2), src - 1);
    const s1 = Math.min(Math.ceil(f1), s2);
    const taps: { index: number; weight: number }[] = [];
    if (s1 - f1 > 1e-3) taps.push({ index: s1 - 1, weight: (s1 - f1) / cell });
    for (let s = s1; s < s2; s++) taps.push({ index: s, weight: 1 / cell });
    if (f2 - s2 > 1e-3) taps.push({ index: s2, weight: Math.min(Math.min(f2 - s2, 1), cell) / cell });
    return taps;
  });
}

function separable(pixels: RawPixels, width: number, height: number, xTaps: Taps, yTaps: Taps, round: (v: number) => number): RawPixels {
  const { data, channels } = pixels;
  const srcRow = pixels.width * channels;
  const rows = new Float64Array(pixels.height * width * channels);
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (const { index, weight } of xTaps[x]!) s += weight * data[y * srcRow + index * channels + c]!;
        rows[(y * width + x) * channels + c] = s;
      }
    }
  }
  const out = new Uint8Array(width * height * channels);
  const dstRow = width * channels;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < dstRow; i++) {
      let s = 0;
      for (const { index, weight } of yTaps[y]!) s += weight * rows[index * dstRow + i]!;
      out[y * dstRow + i] = Math.min(255, Math.max(0, round(s)));
    }
  }
  return { data: out, width, height, channels };
}

/** OpenCV's INTER_AREA when enlarging: linear taps on sx, sx + 1 with the fraction snapped as below, 11-bit weights. */
function enlargeTaps(src: number, dst: number): { index: number; weight: number }[][] {
  const scale = src / dst;
  const inverse = dst / src;
  return Array.from({ length: dst }, (_, d) => {
    let sx = Math.floor(d * scale);
    let fx = d + 1 - (sx + 1) * inverse;
    fx = fx <= 0 ? 0 : fx - Math.floor(fx);
    if (sx < 0) {
      fx = 0;
      sx = 0;
    }
    if (sx >= src - 1) {
      fx = 0;
      sx = src - 1;
    }
    const w1 = Math.round(fx * 2048);
    return [
      { index: sx, weight: 2048 - w1 },
      { index: Math.min(sx + 1, src - 1), weight: w1 },
    ];
  });
}

function enlarge(pixels: RawPixels, width: number, height: number): RawPixels {
  const fixed = (v: number): number => (v + (1 << 21)) >> 22;
  return separable(pixels, width, height, enlargeTaps(pixels.width, width), enlargeTaps(pixels.height, height), fixed);
}
