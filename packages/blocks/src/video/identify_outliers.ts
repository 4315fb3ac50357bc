/**
 * Identify Outliers: whether an embedding is unusual among the last `window_size` ones. The unit
 * embeddings of the window are fitted with a von Mises-Fisher distribution (its mean direction);
 * the new embedding's alignment with that direction is ranked among the window's alignments, and
 * a rank in the outer `threshold_percentile` on either side is an outlier.
 * Its manifest takes no image: one state for the step, as Roboflow's block instance keeps.
 */
import { defineBlock } from "@cvflow/engine";
import { ALL_VIDEOS, stepState } from "./step-state.js";
import { dot, norm, unit } from "./vectors.js";

interface IdentifyOutliersParams {
  [key: string]: unknown;
  embedding: number[];
  threshold_percentile: number;
  warmup: number;
  window_size: number | null;
}

export const identifyOutliersBlock = defineBlock<IdentifyOutliersParams>({
  manifest: {
    type: "roboflow_core/identify_outliers@v1",
    name: "Identify Outliers",
    description: "Identify outlier embeddings compared to prior data.",
    family: "video",
    stateful: true,
    fields: {
      embedding: { description: "The embedding of this frame.", kinds: ["embedding"], required: true },
      threshold_percentile: {
        description: "How far into either tail of the window's ranking an embedding is an outlier.",
        schema: { type: "number", minimum: 0, maximum: 1 },
        kinds: ["float_zero_to_one"],
        default: 0.05,
      },
      warmup: { description: "Embeddings seen before any is called an outlier.", schema: { type: "integer" }, kinds: ["integer"], default: 3 },
      window_size: { description: "How many recent embeddings are compared against; null keeps all.", schema: { type: ["integer", "null"] }, kinds: ["integer"], default: 32 },
    },
    outputs: [
      { name: "is_outlier", kinds: ["boolean"] },
      { name: "percentile", kinds: ["float_zero_to_one"] },
      { name: "warming_up", kinds: ["boolean"] },
    ],
  },
  run({ embedding, threshold_percentile, warmup, window_size }, ctx) {
    const state = stepState(ctx, ALL_VIDEOS, () => ({ samples: 0, window: [] as number[][] }));
    const current = unit(embedding);
    state.samples += 1;
    state.window.push(current);
    if (window_size !== null && state.window.length > window_size) state.window.shift();
    if (state.samples < warmup) return { is_outlier: false, percentile: 0.5, warming_up: true };

    // The mean direction; with fewer than two embeddings, or ones cancelling out, the current one.
    const sum = current.map((_, i) => state.window.reduce((s, v) => s + v[i]!, 0));
    const length = norm(sum);
    const mu = state.window.length >= 2 && length !== 0 ? sum.map((x) => x / length) : current;
    const alignment = dot(mu, current);
    const below = state.window.filter((v) => dot(v, mu) < alignment).length;
    const percentile = below / state.window.length;
    return {
      is_outlier: percentile < threshold_percentile || percentile > 1 - threshold_percentile,
      percentile,
      warming_up: false,
    };
  },
});
