/**
 * Classifier logits → scores: softmax for single-label models (every class, most confident
 * first), an independent sigmoid per class for multi-label ones.
 */
import type { ClassificationResult, ClassScore } from "../models/types.js";

export function classificationResult(
  logits: Float32Array,
  classes: readonly string[],
  multiLabel: boolean,
  width: number,
  height: number,
): ClassificationResult {
  const probabilities = multiLabel ? Array.from(logits, sigmoid) : softmax(logits);
  const scores: ClassScore[] = probabilities.map((confidence, classId) => ({ className: classes[classId] ?? String(classId), classId, confidence }));
  scores.sort((a, b) => b.confidence - a.confidence);
  return { width, height, scores, multiLabel };
}

function softmax(logits: Float32Array): number[] {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  const exps = Array.from(logits, (value) => Math.exp(value - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}
