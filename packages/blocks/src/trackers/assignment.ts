/**
 * Linear assignment of tracks to detections, as the trackers do it with scipy's
 * linear_sum_assignment: an optimal (minimum-cost) one-to-one matching over the whole matrix, then
 * pairs whose cost is above the threshold are dropped. The matching is munkres' Hungarian method.
 */
import { munkres } from "munkres";

export interface Assignment {
  /** [row, column] pairs, by row. */
  matches: [number, number][];
  unmatchedRows: number[];
  unmatchedColumns: number[];
}

/**
 * `cost[r][c]`; pairs costing more than `maxCost` are not matched. Costs above it are first capped
 * just over it (as supervision's ByteTrack does) so that an impossible pair never pulls the optimum.
 */
export function assign(cost: readonly (readonly number[])[], columns: number, maxCost: number): Assignment {
  const rows = cost.length;
  const matches: [number, number][] = [];
  if (rows > 0 && columns > 0) {
    const capped = cost.map((row) => row.map((v) => (v > maxCost ? maxCost + 1e-4 : v)));
    for (const [r, c] of munkres(capped)) if (capped[r]![c]! <= maxCost) matches.push([r, c]);
    matches.sort((a, b) => a[0] - b[0]);
  }
  const usedRows = new Set(matches.map(([r]) => r));
  const usedColumns = new Set(matches.map(([, c]) => c));
  return {
    matches,
    unmatchedRows: [...Array(rows).keys()].filter((r) => !usedRows.has(r)),
    unmatchedColumns: [...Array(columns).keys()].filter((c) => !usedColumns.has(c)),
  };
}

/** 1 - IoU of each pair of xyxy boxes. */
export function iouCost(a: readonly (readonly number[])[], b: readonly (readonly number[])[], iou: (x: readonly number[], y: readonly number[]) => number): number[][] {
  return a.map((x) => b.map((y) => 1 - iou(x, y)));
}
