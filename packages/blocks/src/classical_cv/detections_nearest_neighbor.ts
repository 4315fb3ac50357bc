/**
 * Nearest Neighbor Detection Match: for each query detection, the target detection(s) nearest to
 * it in plain pixel distance between anchor points (a box position, or a named keypoint), as
 * Roboflow's block: a target with the query's detection id is never its match (so one set can be
 * both); targets beyond `max_distance` are left out; every target within 1 px of the nearest is a
 * match too (a tie gives one row per match). The query detections come back with
 * `nearest_target_distance` (null without a match); the matched pairs as two aligned lists, in
 * query-major order.
 */
import { defineBlock, DETECTION_KINDS, type Detections, type FieldSpec } from "@cvflow/engine";
import { invalidField } from "../errors.js";
import { anchorPoint, BOX_POSITIONS } from "../visualizations/draw/anchors.js";

const KEYPOINT = "KEYPOINT";
const POINTS = [...BOX_POSITIONS, KEYPOINT] as const;
/** Targets this much farther than the nearest still count as nearest (pixels). */
const TIE_EPSILON = 1;
export const NEAREST_TARGET_DISTANCE_KEY = "nearest_target_distance";

interface NearestNeighborParams {
  [key: string]: unknown;
  query_predictions: Detections;
  target_predictions: Detections;
  query_point: string;
  target_point: string;
  query_keypoint_name: string | null;
  target_keypoint_name: string | null;
  max_distance: number | null;
}

type Anchor = readonly [number, number];

/** Each detection's anchor; NaN for a detection lacking the named keypoint (it matches nothing). */
function anchors(d: Detections, point: string, keypointName: string | null, role: "query" | "target"): Anchor[] {
  if (point !== KEYPOINT) return Array.from({ length: d.length }, (_, i) => anchorPoint(d, i, point));
  if (!keypointName) throw invalidField(`\`${role}_keypoint_name\` must be provided when \`${role}_point\` is set to 'KEYPOINT'`);
  if (d.length > 0 && !d.keypoints) {
    throw invalidField(`\`${role}_point\` is 'KEYPOINT' but the ${role} predictions carry no keypoints: give keypoint detection predictions`);
  }
  return Array.from({ length: d.length }, (_, i) => {
    const k = d.keypoints?.[i]?.find((kp) => kp.className === keypointName);
    return k ? [k.x, k.y] : [NaN, NaN];
  });
}

const keypointName = (description: string): FieldSpec => ({ description, kinds: ["string"], schema: { type: ["string", "null"] }, default: null });
const anchorField = (description: string): FieldSpec => ({ description, kinds: ["string"], schema: { type: "string", enum: POINTS }, default: "CENTER" });

export const detectionsNearestNeighborBlock = defineBlock<NearestNeighborParams>({
  manifest: {
    type: "roboflow_core/detections_nearest_neighbor@v1",
    name: "Nearest Neighbor Detection Match",
    description: "Find the closest target detection for each query detection using pixel distance.",
    family: "classical_cv",
    fields: {
      query_predictions: { description: "Detections to find the nearest target for (may be the same as the targets).", kinds: DETECTION_KINDS, required: true },
      target_predictions: { description: "Detections searched for each query detection's nearest.", kinds: DETECTION_KINDS, required: true },
      query_point: anchorField("Anchor of a query detection: CENTER, a corner, an edge midpoint, or KEYPOINT (with query_keypoint_name)."),
      target_point: anchorField("Anchor of a target detection, as query_point (KEYPOINT with target_keypoint_name)."),
      query_keypoint_name: keypointName("Keypoint class giving the query anchor when query_point is KEYPOINT."),
      target_keypoint_name: keypointName("Keypoint class giving the target anchor when target_point is KEYPOINT."),
      max_distance: {
        description: "Targets farther than this many pixels are never matched; unset: no limit.",
        kinds: ["integer"],
        schema: { type: ["integer", "null"], minimum: 0 },
        default: null,
      },
    },
    outputs: [
      { name: "query_predictions", kinds: DETECTION_KINDS, description: "The query detections with nearest_target_distance (pixels, null without a match)." },
      { name: "matched_query_detections", kinds: DETECTION_KINDS, description: "One row per match: the query detection (repeated on ties)." },
      { name: "matched_target_detections", kinds: DETECTION_KINDS, description: "One row per match: the target detection, aligned with matched_query_detections." },
    ],
  },
  run(params) {
    const { query_predictions: query, target_predictions: target, max_distance: maxDistance } = params;
    const from = anchors(query, params.query_point, params.query_keypoint_name, "query");
    const to = anchors(target, params.target_point, params.target_keypoint_name, "target");
    const nearest: (number | null)[] = [];
    const queryRows: number[] = [];
    const targetRows: number[] = [];
    for (let q = 0; q < query.length; q++) {
      // NaN for a pair that may not match: itself, beyond max_distance, or a missing keypoint.
      const distances = to.map(([tx, ty], t) => {
        if (target.detectionId[t] === query.detectionId[q]) return NaN;
        const d = Math.hypot(from[q]![0] - tx, from[q]![1] - ty);
        return maxDistance !== null && d > maxDistance ? NaN : d;
      });
      const valid = distances.filter((d) => !Number.isNaN(d));
      if (valid.length === 0) {
        nearest.push(null);
        continue;
      }
      const min = Math.min(...valid);
      nearest.push(min);
      distances.forEach((d, t) => {
        if (d <= min + TIE_EPSILON) {
          queryRows.push(q);
          targetRows.push(t);
        }
      });
    }
    const withDistance = query.withData(NEAREST_TARGET_DISTANCE_KEY, nearest);
    return {
      query_predictions: withDistance,
      matched_query_detections: withDistance.select(queryRows),
      matched_target_detections: target.select(targetRows),
    };
  },
});
