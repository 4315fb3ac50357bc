/**
 * Contrast Equalization, as the reference implementation does it with scikit-image's exposure
 * module (0.19 read; its float32 steps kept where they decide a pixel's byte):
 * - Contrast Stretching: rescale_intensity from the 2nd..98th percentiles of all values (every
 *   channel together) to 0..255, truncated;
 * - Histogram Equalization: equalize_hist of the image as floats v/255 — one 256-bin histogram of
 *   every value between the image's least and greatest, its cumulative distribution interpolated
 *   at each value — times 255, truncated;
 * - Adaptive Equalization: equalize_adapthist with clip_limit 0.03 (skimage-clahe.ts).
 * Every output byte depends only on the input byte (and, for the adaptive one, its neighbourhood).
 */
import { defineBlock } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { adaptiveEqualization } from "./skimage-clahe.js";

const TYPES = ["Contrast Stretching", "Histogram Equalization", "Adaptive Equalization"] as const;
type EqualizationType = (typeof TYPES)[number];

interface ContrastEqualizationParams {
  [key: string]: unknown;
  image: WorkflowImage;
  equalization_type: EqualizationType;
}

export const contrastEqualizationBlock = defineBlock<ContrastEqualizationParams>({
  manifest: {
    type: "roboflow_core/contrast_equalization@v1",
    name: "Contrast Equalization",
    description: "Apply contrast equalization to an image.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to equalize.", kinds: ["image"], aliases: ["images"], required: true },
      equalization_type: {
        description: "Contrast Stretching (2nd..98th percentile to 0..255), Histogram Equalization (global), or Adaptive Equalization (CLAHE, clip limit 0.03).",
        kinds: ["string"],
        schema: { enum: TYPES },
        default: "Histogram Equalization",
      },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image, equalization_type }) {
    const pixels = image.pixels;
    switch (equalization_type) {
      case "Contrast Stretching":
        return { image: image.withPixels(mapped(pixels, stretchTable(pixels.data))) };
      case "Histogram Equalization":
        return { image: image.withPixels(mapped(pixels, equalizationTable(pixels.data))) };
      case "Adaptive Equalization":
        return { image: image.withPixels(adaptiveEqualization(pixels)) };
      default:
        throw invalidField(`equalization_type must be one of ${TYPES.join(", ")}; got ${JSON.stringify(equalization_type)}`);
    }
  },
});

function mapped(pixels: RawPixels, table: Uint8Array): RawPixels {
  const data = new Uint8Array(pixels.data.length);
  for (let i = 0; i < data.length; i++) data[i] = table[pixels.data[i]!]!;
  return { ...pixels, data };
}

function histogramOf(values: Uint8Array): Float64Array {
  const histogram = new Float64Array(256);
  for (const v of values) histogram[v]!++;
  return histogram;
}

/** rescale_intensity(img, in_range=(p2, p98)) for each byte value. */
function stretchTable(values: Uint8Array): Uint8Array {
  const histogram = histogramOf(values);
  const low = percentile(histogram, values.length, 2);
  const high = percentile(histogram, values.length, 98);
  return Uint8Array.from({ length: 256 }, (_, v) => (low === high ? v : Math.trunc(((Math.min(high, Math.max(low, v)) - low) / (high - low)) * 255)));
}

/** numpy's percentile (linear interpolation) of `n` values counted by `histogram`. */
function percentile(histogram: Float64Array, n: number, q: number): number {
  const rank = (q / 100) * (n - 1);
  const below = Math.floor(rank);
  const at = (r: number): number => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]!) > r) return v;
    return 255;
  };
  const a = at(below);
  return a + (at(Math.min(n - 1, below + 1)) - a) * (rank - below);
}

/** equalize_hist(img.astype(float32) / 255) * 255, truncated, for each byte value. */
function equalizationTable(values: Uint8Array): Uint8Array {
  const counts = histogramOf(values);
  const f = (v: number): number => Math.fround(v / 255);
  let lowest = 0;
  while (counts[lowest] === 0) lowest++;
  let highest = 255;
  while (counts[highest] === 0) highest--;
  // numpy widens an empty range by 0.5 either way.
  const first = lowest === highest ? f(lowest) - 0.5 : f(lowest);
  const last = lowest === highest ? f(highest) + 0.5 : f(highest);
  // numpy's histogram: 256 equal bins whose float32 edges come from linspace; the last bin holds its right edge.
  const step = (last - first) / 256;
  const edges = Float64Array.from({ length: 257 }, (_, i) => Math.fround(i === 256 ? last : i * step + first));
  const bins = new Float64Array(256);
  for (let v = lowest; v <= highest; v++) {
    let bin = 0;
    while (bin < 255 && edges[bin + 1]! <= f(v)) bin++;
    bins[bin]! += counts[v]!;
  }
  const centres = Float64Array.from({ length: 256 }, (_, i) => Math.fround(Math.fround(edges[i]! + edges[i + 1]!) / 2));
  const cdf = new Float64Array(256);
  let sum = 0;
  for (let i = 0; i < 256; i++) cdf[i] = sum += bins[i]!;
  for (let i = 0; i < 256; i++) cdf[i] = Math.fround(cdf[i]! / sum);
  return Uint8Array.from({ length: 256 }, (_, v) => (counts[v] === 0 ? 0 : Math.trunc(Math.fround(Math.fround(interpolate(f(v), centres, cdf)) * 255))));
}

/** numpy's interp: the ends held flat beyond the first and last points. */
function interpolate(x: number, xs: Float64Array, ys: Float64Array): number {
  if (x <= xs[0]!) return ys[0]!;
  const n = xs.length;
  if (x >= xs[n - 1]!) return ys[n - 1]!;
  let j = 0;
  while (xs[j + 1]! <= x) j++;
  const slope = (ys[j + 1]! - ys[j]!) / (xs[j + 1]! - xs[j]!);
  return slope * (x - xs[j]!) + ys[j]!;
}
