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
  const rowSums = new Int32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const line = y * width * channels;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += data[line + columns[j]! * channels + c]!;
      for (let x = 0; x < width; x++) {
        rowSums[line + x * channels + c] = sum;
        sum += data[line + columns[x + k]! * channels + c]! - data[line + columns[x]! * channels + c]!;
      }
    }
  }
  const out = new Uint8Array(data.length);
  const stride = width * channels;
  const scale = 1 / (k * k);
  const sums = new Int32Array(stride);
  for (let j = 0; j < k; j++) for (let i = 0; i < stride; i++) sums[i]! += rowSums[rows[j]! * stride + i]!;
  for (let y = 0; y < height; y++) {
    const added = rows[y + k]! * stride;
    const removed = rows[y]! * stride;
    for (let i = 0; i < stride; i++) {
      out[y * stride + i] = roundHalfEven(sums[i]! * scale);
      sums[i]! += rowSums[added + i]! - rowSums[removed + i]!;
    }
  }
  return out;
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
