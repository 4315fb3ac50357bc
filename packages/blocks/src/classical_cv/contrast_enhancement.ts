/**
 * Contrast Enhancement: each channel stretched from [low, high] to [0, 255] — low and high its
 * minimum and maximum, or with clip_limit its clip_limit-th and (100 - clip_limit)-th percentiles
 * (numpy's linear interpolation) — then optionally scaled about 128 by contrast_multiplier and
 * brightened by a gamma of 1/1.3, clipped and truncated to 8 bits. A channel whose high is not
 * above its low is left as it is (a one-channel image whole, as the reference does).
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";

interface ContrastEnhancementParams {
  [key: string]: unknown;
  image: WorkflowImage;
  clip_limit: number;
  contrast_multiplier: number;
  normalize_brightness: boolean;
}

export const contrastEnhancementBlock = defineBlock<ContrastEnhancementParams>({
  manifest: {
    type: "roboflow_core/contrast_enhancement@v1",
    name: "Contrast Enhancement",
    description: "Enhance image contrast by normalizing the histogram to use the full dynamic range.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to enhance; each channel is stretched on its own.", kinds: ["image"], aliases: ["images"], required: true },
      clip_limit: { description: "Percent of each end of the histogram to leave out (0: from minimum to maximum).", schema: { type: "integer", minimum: 0, maximum: 50 }, default: 0 },
      contrast_multiplier: { description: "Contrast scale about 128 after stretching (1: none).", schema: { type: "number", minimum: 0.1, maximum: 5 }, default: 1 },
      normalize_brightness: { description: "Brighten the midtones (gamma 1/1.3) after stretching.", schema: { type: "boolean" }, default: false },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image, clip_limit, contrast_multiplier, normalize_brightness }) {
    const { data, channels } = image.pixels;
    const out = new Uint8Array(data.length);
    const gamma = normalize_brightness ? 1 / 1.3 : 1;
    for (let c = 0; c < channels; c++) {
      const histogram = new Float64Array(256);
      for (let i = c; i < data.length; i += channels) histogram[data[i]!]!++;
      const [low, high] = clip_limit > 0 ? [percentile(histogram, clip_limit), percentile(histogram, 100 - clip_limit)] : [percentile(histogram, 0), percentile(histogram, 100)];
      if (high <= low) {
        if (channels === 1) return { image };
        for (let i = c; i < data.length; i += channels) out[i] = data[i]!;
        continue;
      }
      // One value per possible input: the same arithmetic for every pixel of that value.
      const table = new Uint8Array(256);
      for (let v = 0; v < 256; v++) {
        let x = ((v - low) / (high - low)) * 255;
        if (contrast_multiplier !== 1) x = 128 + (x - 128) * contrast_multiplier;
        if (gamma !== 1) x = Math.pow(Math.min(255, Math.max(0, x)) / 255, gamma) * 255;
        table[v] = Math.trunc(Math.min(255, Math.max(0, x)));
      }
      for (let i = c; i < data.length; i += channels) out[i] = table[data[i]!]!;
    }
    return { image: image.withPixels({ ...image.pixels, data: out }) };
  },
});

/** numpy's percentile (linear interpolation between the two nearest ranks) of the values a histogram counts. */
function percentile(histogram: Float64Array, q: number): number {
  const n = histogram.reduce((a, b) => a + b, 0);
  const rank = (q / 100) * (n - 1);
  const below = Math.floor(rank);
  const a = valueAtRank(histogram, below);
  const b = valueAtRank(histogram, Math.min(n - 1, below + 1));
  return a + (b - a) * (rank - below);
}

function valueAtRank(histogram: Float64Array, rank: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen > rank) return v;
  }
  return 255;
}
