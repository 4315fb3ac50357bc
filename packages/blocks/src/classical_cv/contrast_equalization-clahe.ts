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
  for (let i = 0; i < n; i++) {
    if (channels === 1) {
      values[i] = f32(data[i]! / 255);
      continue;
    }
    const [h, s, v] = rgbToHsv(f32(data[i * 3]! / 255), f32(data[i * 3 + 1]! / 255), f32(data[i * 3 + 2]! / 255));
    hue[i] = h;
    saturation[i] = s;
    values[i] = v;
  }
  const equalized = rescaleToUnit(clahe(toFourteenBits(values), width, height));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < n; i++) {
    if (channels === 1) {
      out[i] = Math.trunc(f32(equalized[i]! * 255));
      continue;
    }
    const rgb = hsvToRgb(hue[i]!, saturation[i]!, equalized[i]!);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.trunc(f32(rgb[c]! * 255));
  }
  return { ...pixels, data: out };
}

/** img_as_uint then rescale_intensity(out_range=(0, 2^14 - 1)) and np.round. */
function toFourteenBits(values: Float32Array): Uint16Array {
  const sixteen = Uint16Array.from(values, (v) => Math.min(65535, Math.max(0, roundHalfEven(f32(v * 65535)))));
  let low = 65535;
  let high = 0;
  for (const v of sixteen) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return Uint16Array.from(sixteen, (v) => (low === high ? Math.min(v, GRAY_LEVELS - 1) : roundHalfEven(((v - low) / (high - low)) * (GRAY_LEVELS - 1))));
}

/** rescale_intensity of a float32 image to 0..1 (its own least and greatest value). */
function rescaleToUnit(image: Uint16Array): Float32Array {
  let low = Infinity;
  let high = -Infinity;
  for (const v of image) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return Float32Array.from(image, (v) => (low === high ? Math.min(1, Math.max(0, v)) : f32(f32(v - low) / f32(high - low))));
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
      let result = 0;
      for (const [ey, ex] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const weight = (ex ? fx : 1 - fx) * (ey ? fy : 1 - fy);
        result = f32(result + f32(mapAt(by + ey, bx + ex)[bin]! * weight));
      }
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
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** skimage's rgb2hsv in float32. */
function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const v = Math.max(r, g, b);
  const delta = f32(v - Math.min(r, g, b));
  if (delta === 0) return [0, 0, v];
  const s = f32(delta / v);
  // numpy assigns red, then green, then blue: the last channel equal to the maximum decides.
  let h = r === v ? f32(f32(g - b) / delta) : 0;
  if (g === v) h = f32(2 + f32(f32(b - r) / delta));
  if (b === v) h = f32(4 + f32(f32(r - g) / delta));
  h = f32(h / 6);
  h = f32(h - Math.floor(h));
  return [h, s, v];
}

/** skimage's hsv2rgb in float32. */
function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const six = f32(h * 6);
  const hi = Math.floor(six);
  const f = f32(six - hi);
  const p = f32(v * f32(1 - s));
  const q = f32(v * f32(1 - f32(f * s)));
  const t = f32(v * f32(1 - f32(f32(1 - f) * s)));
  switch (((hi % 6) + 6) % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}
