/**
 * cv2.blur on an 8-bit image: the mean over a k x k window (anchored at k / 2, so an even k reaches
 * k / 2 pixels back and k / 2 - 1 forward), borders mirrored without repeating the edge pixel
 * (BORDER_REFLECT_101), each channel apart. Running sums: the cost does not grow with k.
 * The mean is the sum times 1 / k², rounded to nearest with ties to even (checked to the byte
 * against cv2.blur for k = 15 and 40).
 */
import type { RawPixels } from "@cvflow/vision";

export function boxBlur({ width, height, channels, data }: RawPixels, k: number): Uint8Array {
  const anchor = Math.floor(k / 2);
  const columns = reflectedWindow(width, k, anchor);
  const rows = reflectedWindow(height, k, anchor);
  const stride = width * channels;
  const scale = 1 / (k * k);
  const out = new Uint8Array(data.length);
  // Vertical window sums of every column, slid down a row at a time; each output row is then a
  // horizontal running sum over them (integer sums: the order does not change the result).
  const columnSums = new Int32Array(stride);
  for (let j = 0; j < k; j++) addRow(columnSums, data, rows[j]! * stride, 1);
  for (let y = 0; y < height; y++) {
    const line = y * stride;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += columnSums[columns[j]! * channels + c]!;
      for (let x = 0; x < width; x++) {
        out[line + x * channels + c] = roundHalfEven(sum * scale);
        sum += columnSums[columns[x + k]! * channels + c]! - columnSums[columns[x]! * channels + c]!;
      }
    }
    addRow(columnSums, data, rows[y + k]! * stride, 1);
    addRow(columnSums, data, rows[y]! * stride, -1);
  }
  return out;
}

function addRow(sums: Int32Array, data: Uint8Array, offset: number, sign: 1 | -1): void {
  for (let i = 0; i < sums.length; i++) sums[i]! += sign * data[offset + i]!;
}

/**
 * The source index of every position of the padded axis: entry j (0 <= j < n + k) is the pixel
 * at j - anchor, mirrored back inside 0..n-1; the window of output i is entries i..i+k-1 (entry
 * n + k - 1 only feeds the sum after the last output).
 */
function reflectedWindow(n: number, k: number, anchor: number): Int32Array {
  return Int32Array.from({ length: n + k }, (_, j) => reflect101(j - anchor, n));
}

function reflect101(p: number, n: number): number {
  if (n === 1) return 0;
  let q = p;
  while (q < 0 || q >= n) q = q < 0 ? -q : 2 * (n - 1) - q;
  return q;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.min(255, r - v === 0.5 && (r & 1) === 1 ? r - 1 : r);
}
