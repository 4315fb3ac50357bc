/**
 * cv2.resize(..., INTER_LINEAR) of 8-bit pixels, to the value: OpenCV's generic path keeps each
 * source pixel's weight as an 11-bit fixed-point number (round(w * 2048), the two weights rounded
 * apart), sums a row horizontally in integers, and blends two such rows vertically with its
 * vectorised arithmetic — ((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16) + 2) >> 2 — except
 * for the last 1 to 4 values of a row, which take the exact rounding (b0 r0 + b1 r1 + 2^21) >> 22.
 */
import type { RawPixels } from "@cvflow/vision";

const ONE = 2048;

export function resizeLinear(src: RawPixels, width: number, height: number): RawPixels {
  const { channels: cn } = src;
  const xs = taps(src.width, width);
  const ys = taps(src.height, height);
  const stride = width * cn;
  const rowCache = new Map<number, Int32Array>();
  const horizontal = (sy: number): Int32Array => {
    let row = rowCache.get(sy);
    if (row) return row;
    row = new Int32Array(stride);
    const base = sy * src.width * cn;
    for (let dx = 0; dx < width; dx++) {
      const { index, w0, w1, last } = xs[dx]!;
      for (let c = 0; c < cn; c++) {
        const a = src.data[base + index * cn + c]!;
        row[dx * cn + c] = last ? a * ONE : a * w0 + src.data[base + (index + 1) * cn + c]! * w1;
      }
    }
    if (rowCache.size > 2) rowCache.delete(rowCache.keys().next().value!);
    rowCache.set(sy, row);
    return row;
  };
  const data = new Uint8Array(stride * height);
  for (let dy = 0; dy < height; dy++) {
    const { index, w0, w1 } = ys[dy]!;
    const r0 = horizontal(index);
    const r1 = horizontal(Math.min(index + 1, src.height - 1));
    const out = dy * stride;
    let x = 0;
    // OpenCV's vector loop takes 16 values, then 4, while more than 4 remain; the rest are scalar.
    for (; x <= stride - 16; x++) data[out + x] = vectorBlend(r0[x]!, r1[x]!, w0, w1);
    for (; x < stride - 4; x++) data[out + x] = vectorBlend(r0[x]!, r1[x]!, w0, w1);
    for (; x < stride; x++) data[out + x] = clampByte((r0[x]! * w0 + r1[x]! * w1 + (1 << 21)) >> 22);
  }
  return { width, height, channels: cn, data };
}

interface Tap {
  index: number;
  w0: number;
  w1: number;
  /** At or past the last source pixel: the pixel alone. */
  last: boolean;
}

/** For each destination position, its source position and two fixed-point weights. */
function taps(sourceSize: number, size: number): Tap[] {
  const scale = sourceSize / size;
  return Array.from({ length: size }, (_, d) => {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let index = Math.floor(f);
    f = Math.fround(f - index);
    if (index < 0) [index, f] = [0, 0];
    const last = index >= sourceSize - 1;
    if (last) [index, f] = [sourceSize - 1, 0];
    return { index, w0: roundHalfEven(Math.fround(1 - f) * ONE), w1: roundHalfEven(f * ONE), last };
  });
}

function vectorBlend(a: number, b: number, w0: number, w1: number): number {
  return clampByte((((w0 * (a >> 4)) >> 16) + ((w1 * (b >> 4)) >> 16) + 2) >> 2);
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}
