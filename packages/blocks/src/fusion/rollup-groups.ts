/**
 * How Detections List Roll-Up decides which of one class's detections are one object (Roboflow's
 * detections_list_rollup@v1): boxes or masks that overlap — any overlap at threshold 0, else an
 * IoU of at least the threshold — chained into connected groups; keypoint detections whose
 * keypoints lie on average closer than a distance to a group's first member. Groups come in the
 * order of their first member, members in their own order.
 */
import type { BitMask } from "@cvflow/engine";
import { overlapArea } from "@cvflow/vision";

type Box = readonly [number, number, number, number];

/** The connected groups of items 0..n-1 under `linked` (checked for i < j only). */
function connectedGroups(n: number, linked: (i: number, j: number) => boolean): number[][] {
  const root = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]!]!;
    return i;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (linked(i, j)) root[find(i)] = find(j);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const group = groups.get(r);
    if (group) group.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()];
}

/** Whether an overlap of `intersection` between shapes of areas `a` and `b` joins them. */
function joins(intersection: number, a: number, b: number, threshold: number): boolean {
  if (threshold <= 0) return intersection > 0;
  const union = a + b - intersection;
  return union > 0 && intersection / union >= threshold;
}

function boxArea([x1, y1, x2, y2]: Box): number {
  return (x2 - x1) * (y2 - y1);
}

function boxIntersection(a: Box, b: Box): number {
  return Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
}

export function boxGroups(boxes: readonly Box[], threshold: number): number[][] {
  return connectedGroups(boxes.length, (i, j) => joins(boxIntersection(boxes[i]!, boxes[j]!), boxArea(boxes[i]!), boxArea(boxes[j]!), threshold));
}

/**
 * Masks are compared pixel by pixel, but only when their boxes overlap (boxes that merely touch
 * never do), as Roboflow's pre-filter has it. `areas`: each mask's set pixels.
 */
export function maskGroups(boxes: readonly Box[], masks: readonly BitMask[], areas: readonly number[], threshold: number): number[][] {
  return connectedGroups(masks.length, (i, j) => {
    if (boxIntersection(boxes[i]!, boxes[j]!) <= 0) return false;
    return joins(overlapArea(masks[i]!, masks[j]!), areas[i]!, areas[j]!, threshold);
  });
}

type Points = readonly { x: number; y: number }[];

/**
 * Greedy, not chained: each detection not yet taken starts a group and takes every later free
 * detection with as many keypoints whose mean distance to its own keypoints is below `distance`.
 * Detections without keypoints stay alone, after the groups.
 */
export function keypointGroups(keypoints: readonly (Points | null)[], distance: number): number[][] {
  const withPoints = keypoints.flatMap((k, i) => (k ? [i] : []));
  const taken = new Set<number>();
  const groups: number[][] = [];
  for (const i of withPoints) {
    if (taken.has(i)) continue;
    taken.add(i);
    const group = [i];
    for (const j of withPoints) {
      if (j <= i || taken.has(j) || !(meanDistance(keypoints[i]!, keypoints[j]!) < distance)) continue;
      taken.add(j);
      group.push(j);
    }
    groups.push(group);
  }
  return [...groups, ...keypoints.flatMap((k, i) => (k ? [] : [[i]]))];
}

/** NaN when the two sets differ in size or are empty: such detections never merge. */
function meanDistance(a: Points, b: Points): number {
  if (a.length !== b.length || a.length === 0) return Number.NaN;
  return a.reduce((sum, p, k) => sum + Math.hypot(p.x - b[k]!.x, p.y - b[k]!.y), 0) / a.length;
}
