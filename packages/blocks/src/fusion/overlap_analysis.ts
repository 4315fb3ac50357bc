/**
 * Overlap Analysis: for each pair of a reference and a candidate detection whose boxes overlap,
 * the share of the reference's area the candidate covers (intersection / reference area), kept
 * when at least `min_overlap`. A detection with a mask is measured by its mask's longest outer
 * contour (supervision's mask_to_polygons: OpenCV's findContours, external, simple chains), the
 * box when the mask is empty or the contour is not a valid polygon (polygon-overlap.ts), as
 * Roboflow's does with shapely. OpenCV is loaded only when a pair involves a mask.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import { detectionMask, maskContours } from "../classical_cv/mask-geometry.js";
import { withMats, type CV, type MatScope } from "../classical_cv/opencv.js";
import { boxRing, intersectionArea, ringArea, validRing, type Ring } from "./polygon-overlap.js";

interface OverlapAnalysisParams {
  [key: string]: unknown;
  reference_predictions: Detections;
  candidate_predictions: Detections;
  min_overlap: number;
}

export interface OverlapRecord {
  reference_class: string;
  reference_confidence: number;
  candidate_class: string;
  candidate_confidence: number;
  overlap_ratio: number;
  reference_detection_id: string;
  candidate_detection_id: string;
}

/** Whether two boxes overlap with positive area (supervision's box IoU above 0). */
function boxesOverlap(a: readonly number[], b: readonly number[]): boolean {
  const w = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  return w > 0 && h > 0;
}

/** Detection i's outline: its mask's longest contour when that is a valid polygon, else its box. */
function outline(d: Detections, i: number, cv: CV | undefined, scope: MatScope | undefined): Ring {
  const box = boxRing(d.box(i));
  const mask = detectionMask(d, i);
  if (!mask || !cv || !scope || !mask.data.some((v) => v !== 0)) return box;
  const contours = maskContours(cv, scope, mask);
  // The first of the longest, as Python's max().
  const longest = contours.reduce<(typeof contours)[number] | undefined>((best, c) => (!best || c.length > best.length ? c : best), undefined);
  return (longest && validRing(longest)) ?? box;
}

function pairs(reference: Detections, candidate: Detections): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < reference.length; i++) for (let j = 0; j < candidate.length; j++) if (boxesOverlap(reference.box(i), candidate.box(j))) out.push([i, j]);
  return out;
}

function analyse(reference: Detections, candidate: Detections, minOverlap: number, cv?: CV, scope?: MatScope): OverlapRecord[] {
  const referenceOutlines = new Map<number, Ring>();
  const candidateOutlines = new Map<number, Ring>();
  const records: OverlapRecord[] = [];
  for (const [i, j] of pairs(reference, candidate)) {
    if (!referenceOutlines.has(i)) referenceOutlines.set(i, outline(reference, i, cv, scope));
    if (!candidateOutlines.has(j)) candidateOutlines.set(j, outline(candidate, j, cv, scope));
    const ref = referenceOutlines.get(i)!;
    const area = ringArea(ref);
    if (area <= 0) continue;
    const ratio = intersectionArea(ref, candidateOutlines.get(j)!) / area;
    if (ratio < minOverlap) continue;
    records.push({
      reference_class: reference.className[i]!,
      reference_confidence: reference.confidence[i]!,
      candidate_class: candidate.className[j]!,
      candidate_confidence: candidate.confidence[j]!,
      overlap_ratio: ratio,
      reference_detection_id: reference.detectionId[i]!,
      candidate_detection_id: candidate.detectionId[j]!,
    });
  }
  return records;
}

/** Whether any detection of an overlapping pair carries a mask (or a polygon), so OpenCV is needed. */
function needsContours(reference: Detections, candidate: Detections): boolean {
  return pairs(reference, candidate).some(([i, j]) => detectionMask(reference, i) !== null || detectionMask(candidate, j) !== null);
}

export async function overlapAnalysis(reference: Detections, candidate: Detections, minOverlap: number): Promise<OverlapRecord[]> {
  if (reference.length === 0 || candidate.length === 0) return [];
  if (!needsContours(reference, candidate)) return analyse(reference, candidate, minOverlap);
  return withMats((cv, scope) => analyse(reference, candidate, minOverlap, cv, scope));
}

export const overlapAnalysisBlock = defineBlock<OverlapAnalysisParams>({
  manifest: {
    type: "roboflow_core/overlap_analysis@v1",
    aliases: ["OverlapAnalysis"],
    name: "Overlap Analysis",
    description: "Compute pairwise overlap between two sets of detections.",
    family: "fusion",
    fields: {
      reference_predictions: {
        description: "Detections whose area is the denominator of the overlap ratio.",
        kinds: ["object_detection_prediction", "instance_segmentation_prediction"],
        required: true,
      },
      candidate_predictions: {
        description: "Detections checked against each reference.",
        kinds: ["object_detection_prediction", "instance_segmentation_prediction"],
        required: true,
      },
      min_overlap: {
        description: "Minimum intersection / reference area for a pair to be listed.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.1,
      },
    },
    outputs: [{ name: "overlaps", kinds: ["detections_overlaps"] }],
  },
  async run({ reference_predictions, candidate_predictions, min_overlap }) {
    return { overlaps: await overlapAnalysis(reference_predictions, candidate_predictions, min_overlap) };
  },
});
