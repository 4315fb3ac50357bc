/** Cosine Similarity: (a · b) / (‖a‖ ‖b‖) of two embeddings of one length, as Roboflow's numpy formula. */
import { defineBlock } from "@cvflow/engine";
import { invalidField } from "../errors.js";

interface CosineSimilarityParams {
  [key: string]: unknown;
  embedding_1: number[];
  embedding_2: number[];
}

/** Two vectors of which one is all zeros give NaN, as numpy's division does. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(aa) * Math.sqrt(bb));
}

export const cosineSimilarityBlock = defineBlock<CosineSimilarityParams>({
  manifest: {
    type: "roboflow_core/cosine_similarity@v1",
    name: "Cosine Similarity",
    description: "Calculate the cosine similarity between two embeddings.",
    family: "math",
    fields: {
      embedding_1: { description: "First embedding (a list of numbers), as long as embedding_2.", kinds: ["embedding"], required: true },
      embedding_2: { description: "Second embedding (a list of numbers), as long as embedding_1.", kinds: ["embedding"], required: true },
    },
    outputs: [{ name: "similarity", kinds: ["float"] }],
  },
  run({ embedding_1, embedding_2 }) {
    for (const [name, value] of [["embedding_1", embedding_1], ["embedding_2", embedding_2]] as const) {
      if (!Array.isArray(value) || !value.every((x) => typeof x === "number")) throw invalidField(`${name} must be a list of numbers`);
    }
    if (embedding_1.length !== embedding_2.length) {
      throw invalidField(`cosine_similarity needs embeddings of one length: embedding_1 has ${embedding_1.length} values, embedding_2 has ${embedding_2.length}`);
    }
    return { similarity: cosineSimilarity(embedding_1, embedding_2) };
  },
});
