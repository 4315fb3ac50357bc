/**
 * The arithmetic of supervision's HeatMapAnnotator, over plain arrays: heat to hue, OpenCV's box
 * blur of an 8-bit image, and the colour of an 8-bit hue (cv2.COLOR_HSV2BGR at full saturation
 * and value, hue in 0..180 per turn).
 */
import { roundHalfEven } from "../../common/python-numbers.js";
import type { Rgb } from "./color-parsing.js";

/** low - heat / max * (low - top), cast to uint8 as numpy does (truncated, wrapped). */
export function heatHues(heat: ArrayLike<number>, lowHue: number, topHue: number): Uint8Array {
  let max = 0;
  for (let i = 0; i < heat.length; i++) if (heat[i]! > max) max = heat[i]!;
  const hues = new Uint8Array(heat.length);
  for (let i = 0; i < heat.length; i++) hues[i] = Math.trunc(lowHue - (heat[i]! / max) * (lowHue - topHue)) & 255;
  return hues;
}

/** cv2.blur(image, (k, k)) of a one-channel 8-bit image: the k x k mean, borders reflected (BORDER_REFLECT_101), rounded half to even. */
export function boxBlur(image: Uint8Array, width: number, height: number, k: number): Uint8Array {
  if (k <= 1) return image.slice();
  const anchor = Math.floor(k / 2);
  // Horizontal sums of each row, then a running sum of k of those rows down the image, row by row.
  const rows = new Int32Array(width * height);
  const xs = reflectedIndices(width, anchor, k);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let j = 0; j < k; j++) sum += image[row + xs[j]!]!;
    for (let x = 0; x < width; x++) {
      rows[row + x] = sum;
      if (x + 1 < width) sum += image[row + xs[x + k]!]! - image[row + xs[x]!]!;
    }
  }
  const out = new Uint8Array(width * height);
  const ys = reflectedIndices(height, anchor, k);
  const sums = new Int32Array(width);
  for (let j = 0; j < k; j++) {
    const from = ys[j]! * width;
    for (let x = 0; x < width; x++) sums[x] = sums[x]! + rows[from + x]!;
  }
  // OpenCV scales the integer sum by 1 / k² in double precision, then rounds (cvRound: half to even).
  const scale = 1 / (k * k);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = sums[x]! * scale;
      let r = Math.round(v);
      if (r - v === 0.5 && (r & 1) === 1) r -= 1;
      out[row + x] = r > 255 ? 255 : r;
    }
    if (y + 1 < height) {
      const add = ys[y + k]! * width;
      const drop = ys[y]! * width;
      for (let x = 0; x < width; x++) sums[x] = sums[x]! + rows[add + x]! - rows[drop + x]!;
    }
  }
  return out;
}

/** For i in 0..n + k - 2: the index of position i - anchor, reflected into 0..n-1 (BORDER_REFLECT_101). */
function reflectedIndices(n: number, anchor: number, k: number): Int32Array {
  return Int32Array.from({ length: n + k - 1 }, (_, i) => {
    let p = i - anchor;
    if (n === 1) return 0;
    while (p < 0 || p >= n) p = p < 0 ? -p : 2 * n - 2 - p;
    return p;
  });
}

/** Sector -> which of [v, v(1-s), v(1-sh), v(1-s(1-h))] is blue, green, red (OpenCV's HSV2RGB). */
const SECTORS = [
  [1, 3, 0],
  [1, 0, 2],
  [3, 0, 1],
  [0, 2, 1],
  [0, 1, 3],
  [2, 1, 0],
] as const;

/** The RGB of 8-bit hue `h` at saturation and value 255, in OpenCV's single-precision steps. */
export function hueColor(hue: number): Rgb {
  const f = Math.fround;
  const unit = f(255 * f(1 / 255));
  let h = f(hue * f(6 / 180)) % 6;
  const sector = Math.floor(h);
  h = f(h - sector);
  const tab = [unit, f(unit * f(1 - unit)), f(unit * f(1 - f(unit * h))), f(unit * f(1 - f(unit * f(1 - h))))];
  const [b, g, r] = SECTORS[sector % 6]!.map((k) => Math.min(255, Math.max(0, roundHalfEven(f(tab[k]! * 255), 0))));
  return [r!, g!, b!];
}
