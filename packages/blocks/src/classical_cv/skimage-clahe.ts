/**
 * scikit-image 0.19's equalize_adapthist(img / 255, clip_limit=0.03) * 255 truncated to bytes,
 * as contrast_equalization's Adaptive Equalization runs it. A colour image is equalized on its HSV
 * value (the largest channel), hue and saturation kept (skimage's adapt_rgb(hsv_value)); a
 * one-channel image directly. The CLAHE itself is skimage's, not OpenCV's: values rescaled to
 * 14 bits, 256 bins of 65 levels, contextual regions of an eighth of each side on a
 * reflect-padded image, histograms clipped at 0.03 of a region's pixels with the excess
 * redistributed as skimage does, and each pixel mapped by bilinear interpolation of the four
 * surrounding regions' mappings. Float32 steps are rounded as numpy's are where it is cheap to;
 * a byte may still differ by one from skimage's where a value lands on a rounding boundary.
 */
import type { RawPixels } from "@cvflow/vision";

const GRAY_LEVELS = 2 ** 14;
const NBINS = 256;
const CLIP_LIMIT = 0.03;
const f32 = Math.fround;

export function adaptiveEqualization(pixels: RawPixels): RawPixels {
  const { data, width, height, channels } = pixels;
  const n = width * height;
  const values = new Float32Array(n);
  const hue = new Float32Array(n);
  const saturation = new Float32Array(n);
  const hsv = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    if (channels === 1) {
      values[i] = f32(data[i]! / 255);
      continue;
    }
    rgbToHsv(f32(data[i * 3]! / 255), f32(data[i * 3 + 1]! / 255), f32(data[i * 3 + 2]! / 255), hsv);
    hue[i] = hsv[0]!;
    saturation[i] = hsv[1]!;
    values[i] = hsv[2]!;
  }
  const equalized = rescaleToUnit(clahe(toFourteenBits(values), width, height));
  const out = new Uint8Array(data.length);
  const rgb = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    if (channels === 1) {
      out[i] = Math.trunc(f32(equalized[i]! * 255));
      continue;
    }
    hsvToRgb(hue[i]!, saturation[i]!, equalized[i]!, rgb);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.trunc(f32(rgb[c]! * 255));
  }
  return { ...pixels, data: out };
}

/** img_as_uint then rescale_intensity(out_range=(0, 2^14 - 1)) and np.round. */
function toFourteenBits(values: Float32Array): Uint16Array {
  const n = values.length;
  const sixteen = new Uint16Array(n);
  let low = 65535;
  let high = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.min(65535, Math.max(0, roundHalfEven(f32(values[i]! * 65535))));
    sixteen[i] = v;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  // One 14-bit level per 16-bit one.
  const level = new Uint16Array(65536);
  for (let v = low; v <= high; v++) level[v] = low === high ? Math.min(v, GRAY_LEVELS - 1) : roundHalfEven(((v - low) / (high - low)) * (GRAY_LEVELS - 1));
  for (let i = 0; i < n; i++) sixteen[i] = level[sixteen[i]!]!;
  return sixteen;
}

/** rescale_intensity of a float32 image to 0..1 (its own least and greatest value). */
function rescaleToUnit(image: Uint16Array): Float32Array {
  const n = image.length;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = image[i]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const unit = new Float32Array(GRAY_LEVELS);
  for (let v = low; v <= high; v++) unit[v] = low === high ? Math.min(1, Math.max(0, v)) : f32(f32(v - low) / f32(high - low));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = unit[image[i]!]!;
  return out;
}

function clahe(image: Uint16Array, width: number, height: number): Uint16Array {
  const kh = Math.max(Math.floor(height / 8), 1);
  const kw = Math.max(Math.floor(width / 8), 1);
  const padTop = kh >> 1;
  const padLeft = kw >> 1;
  const paddedH = height + padTop + ((kh - (height % kh)) % kh) + Math.ceil(kh / 2);
  const paddedW = width + padLeft + ((kw - (width % kw)) % kw) + Math.ceil(kw / 2);
  const binSize = 1 + Math.floor(GRAY_LEVELS / NBINS);
  // The padded image, in bins (numpy's reflect: the edge pixel not repeated).
  const bins = new Uint8Array(paddedH * paddedW);
  for (let y = 0; y < paddedH; y++) {
    const sy = reflect(y - padTop, height);
    for (let x = 0; x < paddedW; x++) bins[y * paddedW + x] = Math.floor(image[sy * width + reflect(x - padLeft, width)]! / binSize);
  }
  const regionsY = Math.floor(paddedH / kh) - 1;
  const regionsX = Math.floor(paddedW / kw) - 1;
  const regionPixels = kh * kw;
  const clipLimit = Math.max(1, Math.trunc(CLIP_LIMIT * regionPixels));
  // Each region's mapping from bin to 14-bit level, with a border of copies (np.pad mode edge).
  const maps: Int32Array[] = [];
  for (let ry = 0; ry < regionsY; ry++) {
    for (let rx = 0; rx < regionsX; rx++) {
      const histogram = new Int32Array(NBINS);
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) histogram[bins[(padTop + ry * kh + y) * paddedW + padLeft + rx * kw + x]!]!++;
      clipHistogram(histogram, clipLimit);
      const mapping = new Int32Array(NBINS);
      let sum = 0;
      for (let b = 0; b < NBINS; b++) mapping[b] = Math.trunc(Math.min(GRAY_LEVELS - 1, (sum += histogram[b]!) * ((GRAY_LEVELS - 1) / regionPixels)));
      maps.push(mapping);
    }
  }
  const mapAt = (my: number, mx: number): Int32Array => maps[Math.min(regionsY - 1, Math.max(0, my - 1)) * regionsX + Math.min(regionsX - 1, Math.max(0, mx - 1))]!;
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const py = y + padTop;
    const by = Math.floor(py / kh);
    const fy = (py % kh) / kh;
    for (let x = 0; x < width; x++) {
      const px = x + padLeft;
      const bx = Math.floor(px / kw);
      const fx = (px % kw) / kw;
      const bin = bins[py * paddedW + px]!;
      // The four surrounding regions' mappings, weighted and summed in numpy's order and precision.
      let result = f32(mapAt(by, bx)[bin]! * ((1 - fx) * (1 - fy)));
      result = f32(result + f32(mapAt(by, bx + 1)[bin]! * (fx * (1 - fy))));
      result = f32(result + f32(mapAt(by + 1, bx)[bin]! * ((1 - fx) * fy)));
      result = f32(result + f32(mapAt(by + 1, bx + 1)[bin]! * (fx * fy)));
      out[y * width + x] = Math.trunc(result);
    }
  }
  return out;
}

/** numpy's pad mode "reflect" index for a position before or beyond 0..size-1. */
function reflect(i: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((i % period) + period) % period;
  return m < size ? m : period - m;
}

/** skimage's clip_histogram: clip at the limit and redistribute the excess, in place, step for step. */
function clipHistogram(hist: Int32Array, limit: number): void {
  let excess = 0;
  for (let b = 0; b < hist.length; b++) {
    if (hist[b]! > limit) {
      excess += hist[b]! - limit;
      hist[b] = limit;
    }
  }
  const increment = Math.floor(excess / hist.length);
  const upper = limit - increment;
  for (let b = 0; b < hist.length; b++) {
    if (hist[b]! < upper) {
      hist[b]! += increment;
      excess -= increment;
    }
  }
  // Bins now between upper and the limit (raised ones too) are filled to the limit.
  for (let b = 0; b < hist.length; b++) {
    if (hist[b]! >= upper && hist[b]! < limit) {
      excess += hist[b]! - limit;
      hist[b] = limit;
    }
  }
  while (excess > 0) {
    const before = excess;
    for (let index = 0; index < hist.length; index++) {
      let under = 0;
      for (const v of hist) if (v < limit) under++;
      const step = Math.max(1, Math.floor(under / excess));
      // Every bin of the slice under the limit gets one, even past the excess (as numpy's masked add).
      for (let b = index; b < hist.length; b += step) {
        if (hist[b]! < limit) {
          hist[b]!++;
          excess--;
        }
      }
      if (excess <= 0) break;
    }
    if (before === excess) break;
  }
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** skimage's rgb2hsv in float32, into `out` (h, s, v). */
function rgbToHsv(r: number, g: number, b: number, out: Float32Array): void {
  const v = Math.max(r, g, b);
  const delta = f32(v - Math.min(r, g, b));
  out[2] = v;
  if (delta === 0) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  const s = f32(delta / v);
  // numpy assigns red, then green, then blue: the last channel equal to the maximum decides.
  let h = r === v ? f32(f32(g - b) / delta) : 0;
  if (g === v) h = f32(2 + f32(f32(b - r) / delta));
  if (b === v) h = f32(4 + f32(f32(r - g) / delta));
  h = f32(h / 6);
  out[0] = f32(h - Math.floor(h));
  out[1] = s;
}

/** skimage's hsv2rgb in float32, into `out` (r, g, b). */
function hsvToRgb(h: number, s: number, v: number, out: Float32Array): void {
  const six = f32(h * 6);
  const hi = Math.floor(six);
  const f = f32(six - hi);
  const p = f32(v * f32(1 - s));
  const q = f32(v * f32(1 - f32(f * s)));
  const t = f32(v * f32(1 - f32(f32(1 - f) * s)));
  const [r, g, b] = SECTORS[((hi % 6) + 6) % 6]!;
  const parts = [v, t, p, q];
  out[0] = parts[r]!;
  out[1] = parts[g]!;
  out[2] = parts[b]!;
}

/** Per hue sector, which of v, t, p, q (0..3) each of r, g, b is. */
const SECTORS = [
  [0, 1, 2],
  [3, 0, 2],
  [2, 0, 1],
  [2, 3, 0],
  [1, 2, 0],
  [0, 2, 3],
] as const;
