/**
 * Dominant Color: k-means over the image's pixels (every `scale`-th row and column, scale =
 * max(1, floor(min(width, height) / target_size))), as the reference implementation runs it:
 * centroids start at distinct random pixels, a cluster left empty restarts at a random pixel,
 * iterations stop when no centroid moves (numpy's allclose) or after max_iterations; the answer is
 * the centroid of the largest cluster, rounded (ties to even), as [r, g, b]. The reference draws
 * its random pixels from numpy's unseeded generator; here a generator seeded with a fixed value,
 * so that one image always gives one answer.
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";
import { invalidField } from "../errors.js";

interface DominantColorParams {
  [key: string]: unknown;
  image: WorkflowImage;
  color_clusters: number;
  max_iterations: number;
  target_size: number;
}

const SEED = 0x5eed;

export const dominantColorBlock = defineBlock<DominantColorParams>({
  manifest: {
    type: "roboflow_core/dominant_color@v1",
    name: "Dominant Color",
    description: "Get the dominant color of an image in RGB format.",
    family: "classical_cv",
    fields: {
      image: { description: "The image whose dominant colour is wanted.", kinds: ["image"], aliases: ["images"], required: true },
      color_clusters: { description: "Number of colour clusters (1 to 10).", kinds: ["integer"], schema: { type: "integer", exclusiveMinimum: 0, maximum: 10 }, default: 4 },
      max_iterations: { description: "Most k-means iterations (1 to 500).", kinds: ["integer"], schema: { type: "integer", exclusiveMinimum: 0, maximum: 500 }, default: 100 },
      target_size: { description: "About how many pixels the shorter side is sampled at (1 to 250): the image is read every floor(shorter side / target_size) pixels.", kinds: ["integer"], schema: { type: "integer", exclusiveMinimum: 0, maximum: 250 }, default: 100 },
    },
    outputs: [{ name: "rgb_color", kinds: ["rgb_color"] }],
  },
  run({ image, color_clusters, max_iterations, target_size }) {
    for (const [name, value, max] of [["color_clusters", color_clusters, 10], ["max_iterations", max_iterations, 500], ["target_size", target_size, 250]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > max) throw invalidField(`${name} must be an integer from 1 to ${max}; got ${JSON.stringify(value)}`);
    }
    const pixels = sampled(image, target_size);
    if (pixels.length / 3 < color_clusters) throw invalidField(`the image has ${pixels.length / 3} sampled pixels, fewer than color_clusters (${color_clusters})`);
    return { rgb_color: dominant(pixels, color_clusters, max_iterations) };
  },
});

/** Every scale-th pixel of every scale-th row, as r, g, b triples (a grey pixel as v, v, v). */
function sampled(image: WorkflowImage, targetSize: number): Float64Array {
  const { data, width, height, channels } = image.pixels;
  const scale = Math.max(1, Math.floor(Math.min(width, height) / targetSize));
  const cols = Math.ceil(width / scale);
  const rows = Math.ceil(height / scale);
  const out = new Float64Array(cols * rows * 3);
  let o = 0;
  for (let y = 0; y < height; y += scale) {
    for (let x = 0; x < width; x += scale) {
      const i = (y * width + x) * channels;
      for (let c = 0; c < 3; c++) out[o++] = data[i + (channels === 1 ? 0 : c)]!;
    }
  }
  return out;
}

function dominant(pixels: Float64Array, k: number, maxIterations: number): [number, number, number] {
  const n = pixels.length / 3;
  const random = mulberry32(SEED);
  const pick = (): number => Math.floor(random() * n);
  let centroids = distinctIndices(n, k, random).flatMap((i) => [pixels[i * 3]!, pixels[i * 3 + 1]!, pixels[i * 3 + 2]!]);
  const labels = new Int32Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    assign(pixels, centroids, labels);
    const sums = new Float64Array(k * 3);
    const counts = new Float64Array(k);
    for (let p = 0; p < n; p++) {
      const label = labels[p]!;
      counts[label]!++;
      for (let c = 0; c < 3; c++) sums[label * 3 + c]! += pixels[p * 3 + c]!;
    }
    const next = Array.from({ length: k * 3 }, (_, j) => {
      const cluster = Math.floor(j / 3);
      return counts[cluster]! > 0 ? sums[j]! / counts[cluster]! : NaN;
    });
    for (let cluster = 0; cluster < k; cluster++) {
      if (counts[cluster]! > 0) continue;
      const p = pick();
      for (let c = 0; c < 3; c++) next[cluster * 3 + c] = pixels[p * 3 + c]!;
    }
    const converged = centroids.every((v, j) => Math.abs(v - next[j]!) <= 1e-8 + 1e-5 * Math.abs(next[j]!));
    if (converged) break;
    centroids = next;
  }
  // The largest cluster (the first of equals), by the labels of the last assignment.
  const counts = new Array<number>(k).fill(0);
  for (const label of labels) counts[label]!++;
  const largest = counts.indexOf(Math.max(...counts));
  return [0, 1, 2].map((c) => Math.min(255, Math.max(0, roundHalfEven(centroids[largest * 3 + c]!)))) as [number, number, number];
}

/** Each pixel's nearest centroid (the first of equals). */
function assign(pixels: Float64Array, centroids: readonly number[], labels: Int32Array): void {
  const k = centroids.length / 3;
  for (let p = 0; p < labels.length; p++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let cluster = 0; cluster < k; cluster++) {
      const dr = pixels[p * 3]! - centroids[cluster * 3]!;
      const dg = pixels[p * 3 + 1]! - centroids[cluster * 3 + 1]!;
      const db = pixels[p * 3 + 2]! - centroids[cluster * 3 + 2]!;
      const distance = dr * dr + dg * dg + db * db;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = cluster;
      }
    }
    labels[p] = best;
  }
}

function distinctIndices(n: number, k: number, random: () => number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(Math.floor(random() * n));
  return [...chosen];
}

/** A small seeded generator of floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
