/**
 * cv2.resize(..., INTER_AREA) of 8-bit pixels. Shrinking (both axes), each destination pixel is
 * the average of the source pixels its footprint covers, partly covered ones weighted by the part
 * covered — OpenCV's weight tables and single-precision sums, rounded to nearest with ties to even.
 * Otherwise OpenCV interpolates linearly with area-derived weights (resizeLinear's areaWeights).
 *
 * One difference: for a whole-number shrink factor OpenCV takes a faster path whose rounding can
 * differ by one at exact halves (a 2x2 block's sum ending in .5); this computes the general way.
 */
import { resizeLinear, type Interleaved } from "./resize-linear.js";

interface Weight {
  /** Destination index. */
  d: number;
  /** Source index. */
  s: number;
  alpha: number;
}

export function resizeArea<C extends number>(src: Interleaved<C>, width: number, height: number): Interleaved<C> {
  const scaleX = 1 / (width / src.width);
  const scaleY = 1 / (height / src.height);
  if (scaleX < 1 || scaleY < 1) return resizeLinear(src, width, height, true);
  const cn = src.channels;
  const xs = areaWeights(src.width, width, scaleX);
  const ys = areaWeights(src.height, height, scaleY);
  const stride = width * cn;
  const data = new Uint8Array(stride * height);
  const row = new Float32Array(stride);
  const sum = new Float32Array(stride);
  const flush = (dy: number): void => {
    for (let i = 0; i < stride; i++) data[dy * stride + i] = roundHalfEven(sum[i]!);
  };
  let current = ys[0]!.d;
  for (const { d: dy, s: sy, alpha: beta } of ys) {
    row.fill(0);
    const base = sy * src.width * cn;
    for (const { d, s, alpha } of xs) {
      for (let c = 0; c < cn; c++) row[d * cn + c] = Math.fround(row[d * cn + c]! + Math.fround(src.data[base + s * cn + c]! * alpha));
    }
    if (dy !== current) {
      flush(current);
      for (let i = 0; i < stride; i++) sum[i] = Math.fround(beta * row[i]!);
      current = dy;
    } else {
      for (let i = 0; i < stride; i++) sum[i] = Math.fround(sum[i]! + Math.fround(beta * row[i]!));
    }
  }
  flush(current);
  return { width, height, channels: cn, data };
}

/** OpenCV's computeResizeAreaTab: per destination pixel, the source pixels it covers and by how much (of its own width). */
function areaWeights(sourceSize: number, size: number, scale: number): Weight[] {
  const weights: Weight[] = [];
  for (let d = 0; d < size; d++) {
    const from = d * scale;
    const to = from + scale;
    const cell = Math.min(scale, sourceSize - from);
    let first = Math.ceil(from);
    const last = Math.min(Math.floor(to), sourceSize - 1);
    first = Math.min(first, last);
    if (first - from > 1e-3) weights.push({ d, s: first - 1, alpha: Math.fround((first - from) / cell) });
    for (let s = first; s < last; s++) weights.push({ d, s, alpha: Math.fround(1 / cell) });
    if (to - last > 1e-3) weights.push({ d, s: last, alpha: Math.fround(Math.min(Math.min(to - last, 1), cell) / cell) });
  }
  return weights;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.min(255, Math.max(0, r - v === 0.5 && (r & 1) === 1 ? r - 1 : r));
}
