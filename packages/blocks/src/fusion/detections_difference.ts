/**
 * Detections Difference: matches detections of a "before" (reference) and an "after" (candidate)
 * image of one scene one-to-one, and reports what was removed, what persisted and what is new.
 */
import { defineBlock, iou, type Detections } from "@cvflow/engine";

interface DetectionsDifferenceParams {
  [key: string]: unknown;
  reference_predictions: Detections;
  candidate_predictions: Detections;
  spatial_weight: number;
  class_mismatch_penalty: number;
  reject_cost: number;
  class_strict: boolean;
  min_removed_to_verify: number;
}

/**
 * Cost of matching two boxes: `1 - IoU` when they overlap; `1 + d` when they do not, d being the
 * distance of their centres over the diagonal of the box enclosing both — so every overlapping
 * pair is cheaper than every disjoint one, and disjoint pairs still rank by proximity.
 */
function spatialTerm(a: readonly number[], b: readonly number[]): number {
  const overlap = iou(a, b);
  if (overlap > 0) return 1 - overlap;
  const [ax1, ay1, ax2, ay2] = a as [number, number, number, number];
  const [bx1, by1, bx2, by2] = b as [number, number, number, number];
  const distance = Math.hypot((ax1 + ax2) / 2 - (bx1 + bx2) / 2, (ay1 + ay2) / 2 - (by1 + by2) / 2);
  const diagonal = Math.hypot(Math.max(ax2, bx2) - Math.min(ax1, bx1), Math.max(ay2, by2) - Math.min(ay1, by1));
  return 1 + (diagonal > 0 ? distance / diagonal : 0);
}

/**
 * Greedy one-to-one assignment: repeatedly takes the cheapest remaining pair (the first in
 * reference-major order on ties) until the cheapest one costs more than `rejectCost`.
 */
function greedyMatch(cost: number[][], rejectCost: number): [number, number][] {
  const matches: [number, number][] = [];
  const rows = new Set<number>();
  const cols = new Set<number>();
  const pairs = Math.min(cost.length, cost[0]?.length ?? 0);
  while (matches.length < pairs) {
    let best: [number, number] | undefined;
    let bestCost = Infinity;
    cost.forEach((row, i) => {
      if (rows.has(i)) return;
      row.forEach((c, j) => {
        if (!cols.has(j) && c < bestCost) {
          bestCost = c;
          best = [i, j];
        }
      });
    });
    if (!best || bestCost > rejectCost) break;
    matches.push(best);
    rows.add(best[0]);
    cols.add(best[1]);
  }
  return matches;
}

export const detectionsDifferenceBlock = defineBlock<DetectionsDifferenceParams>({
  manifest: {
    type: "roboflow_core/detections_difference@v1",
    aliases: ["DetectionsDifference"],
    name: "Detections Difference",
    description: "Match detections across before/after images and report removed, persisted and new objects.",
    family: "fusion",
    fields: {
      reference_predictions: {
        description: "Detections of the reference (\"before\") image; unmatched ones are reported as removed.",
        kinds: ["object_detection_prediction"],
        required: true,
      },
      candidate_predictions: {
        description: "Detections of the candidate (\"after\") image; matched ones persisted, unmatched ones new.",
        kinds: ["object_detection_prediction"],
        required: true,
      },
      spatial_weight: {
        description: "Weight of the spatial term (1 - IoU, or 1 + normalised centre distance for disjoint boxes) in the cost.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.4,
      },
      class_mismatch_penalty: {
        description: "Cost added to a pair of different classes (unless class_strict forbids such pairs).",
        kinds: ["float"],
        schema: { type: "number", minimum: 0 },
        default: 0.15,
      },
      reject_cost: {
        description: "Pairs costing more than this are not matched.",
        kinds: ["float"],
        schema: { type: "number", minimum: 0 },
        default: 0.75,
      },
      class_strict: {
        description: "Never match detections of different classes.",
        kinds: ["boolean"],
        schema: { type: "boolean" },
        default: false,
      },
      min_removed_to_verify: {
        description: "Removed detections needed (with a non-empty reference) for `verified` to be true.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 1,
      },
    },
    outputs: [
      { name: "removed_detections", kinds: ["object_detection_prediction"] },
      { name: "persisted_detections", kinds: ["object_detection_prediction"] },
      { name: "new_detections", kinds: ["object_detection_prediction"] },
      { name: "removed_count", kinds: ["integer"] },
      { name: "new_count", kinds: ["integer"] },
      { name: "verified", kinds: ["boolean"] },
    ],
  },
  run(params) {
    const { reference_predictions: reference, candidate_predictions: candidate } = params;
    const cost = Array.from({ length: reference.length }, (_, i) =>
      Array.from({ length: candidate.length }, (_, j) => {
        const spatial = params.spatial_weight * spatialTerm(reference.box(i), candidate.box(j));
        if (reference.className[i] === candidate.className[j]) return spatial;
        return params.class_strict ? Infinity : spatial + params.class_mismatch_penalty;
      }),
    );
    const matches = greedyMatch(cost, params.reject_cost);
    const matchedReference = new Set(matches.map(([i]) => i));
    const matchedCandidate = new Set(matches.map(([, j]) => j));
    const removed = reference.filter((i) => !matchedReference.has(i));
    const added = candidate.filter((j) => !matchedCandidate.has(j));
    return {
      removed_detections: removed,
      persisted_detections: candidate.filter((j) => matchedCandidate.has(j)),
      new_detections: added,
      removed_count: removed.length,
      new_count: added.length,
      verified: reference.length > 0 && removed.length >= params.min_removed_to_verify,
    };
  },
});
