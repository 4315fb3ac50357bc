/**
 * cv2.resize(..., INTER_LINEAR) of 8-bit pixels (and INTER_AREA's enlarging, which shares it), to
 * the value: OpenCV's generic path keeps each source pixel's weight as an 11-bit fixed-point
 * number (round(w * 2048), the two weights rounded apart), sums a row horizontally in integers,
 * and blends two such rows vertically with its vectorised arithmetic, ((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16) + 2) >> 2, which
 * OpenCV 4's x86 builds apply to every value of a row (checked against cv2 on rows whose length is
 * not a multiple of 4 or 16).
 */
const ONE = 2048;

/** Interleaved 8-bit pixels of any channel count (RawPixels, or colour plus alpha). */
export interface Interleaved<C extends number = number> {
  width: number;
  height: number;
  channels: C;
  data: Uint8Array;
}

export function resizeLinear<C extends number>(src: Interleaved<C>, width: number, height: number, areaWeights = false): Interleaved<C> {
  const { channels: cn } = src;
  const xs = taps(src.width, width, areaWeights);
  const ys = taps(src.height, height, areaWeights, true);
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
    const r0 = horizontal(Math.min(Math.max(index, 0), src.height - 1));
    const r1 = horizontal(Math.min(Math.max(index + 1, 0), src.height - 1));
    const out = dy * stride;
    for (let x = 0; x < stride; x++) data[out + x] = vectorBlend(r0[x]!, r1[x]!, w0, w1);
  }
  return { width, height, channels: cn, data };
}

interface Tap {
  index: number;
  w0: number;
  w1: number;
  /** A column at or past the last source pixel: the pixel alone. */
  last: boolean;
}

/**
 * For each destination position, its source position and two fixed-point weights. With
 * `areaWeights` (INTER_AREA enlarging), the weight of the next pixel is how far the destination
 * pixel's far edge reaches past the source pixel's, as OpenCV computes it in that case.
 */
function taps(sourceSize: number, size: number, areaWeights: boolean, vertical = false): Tap[] {
  // OpenCV's scale is the inverse of size / sourceSize (which can differ from sourceSize / size in the last bit).
  const inverse = size / sourceSize;
  const scale = 1 / inverse;
  return Array.from({ length: size }, (_, d) => {
    let index: number;
    let f: number;
    if (areaWeights) {
      index = Math.floor(d * scale);
      f = Math.fround(d + 1 - (index + 1) * inverse);
      f = f <= 0 ? 0 : Math.fround(f - Math.floor(f));
    } else {
      f = Math.fround((d + 0.5) * scale - 0.5);
      index = Math.floor(f);
      f = Math.fround(f - index);
    }
    const weights = (fraction: number) => ({ w0: roundHalfEven(Math.fround(1 - fraction) * ONE), w1: roundHalfEven(fraction * ONE) });
    // Rows keep their weights past the edges (both rows are then the edge row); columns take the edge pixel alone.
    if (vertical) return { index, ...weights(f), last: false };
    if (index < 0) [index, f] = [0, 0];
    const last = index >= sourceSize - 1;
    if (last) [index, f] = [sourceSize - 1, 0];
    return { index, ...weights(f), last };
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
