/**
 * Identify Changes: whether an embedding departs from the recent ones. The block keeps a running
 * average (EMA, SMA by Welford's method, or a sliding window) of the unit embeddings and, the same
 * way, of the cosine similarity between each new embedding and that average; a similarity whose
 * z-score falls in the outer `threshold_percentile` of a normal distribution is an outlier.
 * Its manifest takes no image: one state for the step, as Roboflow's block instance keeps.
 */
import { defineBlock } from "@cvflow/engine";
import { normalUpperTail } from "./normal-tail.js";
import { ALL_VIDEOS, stepState } from "./step-state.js";
import { dot, meanAndStd, norm, unit } from "./vectors.js";

const STRATEGIES = ["Exponential Moving Average (EMA)", "Simple Moving Average (SMA)", "Sliding Window"] as const;
type Strategy = (typeof STRATEGIES)[number];

interface IdentifyChangesParams {
  [key: string]: unknown;
  strategy: Strategy;
  embedding: number[];
  threshold_percentile: number;
  warmup: number;
  smoothing_factor: number;
  window_size: number;
}

/** A running mean and spread of one quantity (a scalar is a vector of one). */
interface Running {
  average: number[];
  std: number[];
  variance: number[];
  m2: number[];
  window: number[][];
}

interface IdentifyChangesState {
  samples: number;
  embeddings: Running | null;
  similarity: Running | null;
}

export const identifyChangesBlock = defineBlock<IdentifyChangesParams>({
  manifest: {
    type: "roboflow_core/identify_changes@v1",
    name: "Identify Changes",
    description: "Identify changes and outliers in embeddings compared to prior data.",
    family: "video",
    stateful: true,
    fields: {
      strategy: { description: "How the average is kept.", schema: { enum: [...STRATEGIES] }, default: STRATEGIES[0] },
      embedding: { description: "The embedding of this frame.", kinds: ["embedding"], required: true },
      threshold_percentile: {
        description: "The share of the distribution, split between both tails, that counts as an outlier.",
        schema: { type: "number", minimum: 0, maximum: 1 },
        kinds: ["float_zero_to_one"],
        default: 0.2,
      },
      warmup: { description: "Embeddings seen before any is called an outlier.", schema: { type: "integer" }, kinds: ["integer"], default: 3 },
      smoothing_factor: {
        description: "EMA's weight of the newest value.",
        schema: { type: ["number", "null"], minimum: 0, maximum: 1 },
        kinds: ["float_zero_to_one"],
        default: 0.1,
      },
      window_size: { description: "Sliding Window's number of values.", schema: { type: ["integer", "null"] }, kinds: ["integer"], default: 10 },
    },
    outputs: [
      { name: "is_outlier", kinds: ["boolean"] },
      { name: "percentile", kinds: ["float_zero_to_one"] },
      { name: "z_score", kinds: ["float"] },
      { name: "average", kinds: ["embedding"] },
      { name: "std", kinds: ["embedding"] },
      { name: "warming_up", kinds: ["boolean"] },
    ],
  },
  run(params, ctx) {
    const state = stepState<IdentifyChangesState>(ctx, ALL_VIDEOS, () => ({ samples: 0, embeddings: null, similarity: null }));
    const embedding = unit(params.embedding);
    let percentile = 0.5;
    let zScore = 0;

    if (state.embeddings) {
      const average = state.embeddings.average;
      const similarity = dot(embedding, average) / (norm(embedding) * norm(average));
      if (!state.similarity) state.similarity = start([similarity]);
      else update(state.similarity, [similarity], state.samples, params);
      const [mean, std] = [state.similarity.average[0]!, state.similarity.std[0]!];
      // No spread (a static scene): nothing to compare against, so not an outlier.
      if (std !== 0) {
        zScore = (similarity - mean) / std;
        percentile = normalUpperTail(zScore);
      }
    }

    const warmingUp = state.samples < params.warmup;
    const isOutlier = !warmingUp && (percentile <= params.threshold_percentile / 2 || percentile >= 1 - params.threshold_percentile / 2);

    if (!state.embeddings) state.embeddings = start(embedding);
    else update(state.embeddings, embedding, state.samples, params);
    state.samples += 1;

    return {
      is_outlier: isOutlier,
      percentile,
      z_score: zScore,
      average: [...state.embeddings.average],
      std: [...state.embeddings.std],
      warming_up: warmingUp,
    };
  },
});

function start(first: number[]): Running {
  const zeros = first.map(() => 0);
  return { average: [...first], std: [...zeros], variance: [...zeros], m2: [...zeros], window: [] };
}

/** Takes `x` into the running statistics; `samples` is the embeddings seen before this one. */
function update(r: Running, x: number[], samples: number, params: IdentifyChangesParams): void {
  if (params.strategy === "Exponential Moving Average (EMA)") {
    const a = params.smoothing_factor;
    r.average = r.average.map((m, i) => (1 - a) * m + a * x[i]!);
    r.variance = r.variance.map((v, i) => (1 - a) * v + a * (x[i]! - r.average[i]!) ** 2);
    r.std = r.variance.map(Math.sqrt);
  } else if (params.strategy === "Simple Moving Average (SMA)") {
    const count = samples + 1;
    const before = r.average;
    r.average = before.map((m, i) => m + (x[i]! - m) / count);
    r.m2 = r.m2.map((m2, i) => m2 + (x[i]! - before[i]!) * (x[i]! - r.average[i]!));
    r.std = r.m2.map((m2) => Math.sqrt(m2 / (count - 1)));
  } else {
    r.window.push(x);
    if (r.window.length > params.window_size) r.window.shift();
    const { mean, std } = meanAndStd(r.window);
    r.average = mean;
    r.std = std;
  }
}
