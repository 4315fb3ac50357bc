/**
 * cv2.resize(..., INTER_AREA) of 8-bit pixels. Shrinking (both axes), each destination pixel is
 * the average of the source pixels its footprint covers, partly covered ones weighted by the part
 * covered — OpenCV's weight tables and single-precision sums, rounded to nearest with ties to even.
 * Otherwise OpenCV interpolates linearly with area-derived weights (resizeLinear's areaWeights).
 *
 * Whole-number factors on both axes take OpenCV's block-average path, which rounds its own way.
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
  const [wholeX, wholeY] = [Math.round(scaleX), Math.round(scaleY)];
  if (Math.abs(scaleX - wholeX) < Number.EPSILON && Math.abs(scaleY - wholeY) < Number.EPSILON) return blockAverage(src, width, height, wholeX, wholeY);
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

/**
 * OpenCV's path for whole-number factors: each destination pixel the mean of its fx x fy block —
 * (sum + 2) >> 2 for 2 x 2 blocks, else the sum times the single-precision 1 / (fx fy), rounded
 * to nearest with ties to even.
 */
function blockAverage<C extends number>(src: Interleaved<C>, width: number, height: number, fx: number, fy: number): Interleaved<C> {
  const cn = src.channels;
  const data = new Uint8Array(width * height * cn);
  const scale = Math.fround(1 / (fx * fy));
  const rowStride = src.width * cn;
  for (let dy = 0; dy < height; dy++) {
    for (let dx = 0; dx < width; dx++) {
      for (let c = 0; c < cn; c++) {
        let sum = 0;
        for (let y = dy * fy; y < (dy + 1) * fy; y++) for (let x = dx * fx; x < (dx + 1) * fx; x++) sum += src.data[y * rowStride + x * cn + c]!;
        data[(dy * width + dx) * cn + c] = fx === 2 && fy === 2 ? (sum + 2) >> 2 : roundHalfEven(Math.fround(sum * scale));
      }
    }
  }
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
