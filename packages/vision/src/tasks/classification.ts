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
  const probabilities = multiLabel ? sigmoids(logits) : softmax(logits);
  const order = descending(probabilities);
  const scores = new Array<ClassScore>(order.length);
  for (let k = 0; k < order.length; k++) {
    const classId = order[k]!;
    scores[k] = { className: classes[classId] ?? String(classId), classId, confidence: probabilities[classId]! };
  }
  return { width, height, scores, multiLabel };
}

/**
 * Indices of `values`, largest value first, equal values in index order (what a stable sort by
 * descending value gives). The values are sorted natively and the indices found back by value:
 * for a 1000-class model this is several times cheaper than sorting with a comparator.
 */
function descending(values: Float64Array): Int32Array {
  const n = values.length;
  // For each distinct value, the chain of its indices in ascending order: first[v] → next[i] → ...
  const first = new Map<number, number>();
  const next = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    next[i] = first.get(values[i]!) ?? -1;
    first.set(values[i]!, i);
  }
  const sorted = Float64Array.from(values).sort();
  const order = new Int32Array(n);
  let k = 0;
  for (let j = n - 1; j >= 0; j--) {
    const value = sorted[j]!;
    if (j < n - 1 && sameValueZero(sorted[j + 1]!, value)) continue; // its group is out already
    for (let i = first.get(value)!; i !== -1; i = next[i]!) order[k++] = i;
  }
  return order;
}

/** Equality as Map keys have it: NaN equals NaN, -0 equals 0. */
function sameValueZero(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  const exps = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += exps[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < exps.length; i++) exps[i]! /= sum;
  return exps;
}

function sigmoids(logits: Float32Array): Float64Array {
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = 1 / (1 + Math.exp(-logits[i]!));
  return out;
}
