/**
 * Polygon areas and intersections for Overlap Analysis, as shapely computes them: a ring's area
 * by the shoelace formula, the intersection by polygon-clipping (Martinez-Rueda sweep line), and
 * shapely's validity rule for a ring (at least three distinct points, no zero area, no edge
 * touching another except its neighbours at their shared end, no spike doubling back), which
 * decides whether Roboflow keeps a mask's contour or falls back to the box.
 */
import polygonClipping, { type Pair } from "polygon-clipping";

export type Ring = readonly (readonly [number, number])[];

/** The ring without consecutive repeats (nor a closing repeat of the first point). */
function distinct(ring: Ring): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, y] of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  return out;
}

export function ringArea(ring: Ring): number {
  let twice = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

const cross = (ax: number, ay: number, bx: number, by: number): number => ax * by - ay * bx;

/** Whether segments p1p2 and q1q2 share any point (touching counts). */
function segmentsMeet(p1: Pair, p2: Pair, q1: Pair, q2: Pair): boolean {
  const d1 = cross(q2[0] - q1[0], q2[1] - q1[1], p1[0] - q1[0], p1[1] - q1[1]);
  const d2 = cross(q2[0] - q1[0], q2[1] - q1[1], p2[0] - q1[0], p2[1] - q1[1]);
  const d3 = cross(p2[0] - p1[0], p2[1] - p1[1], q1[0] - p1[0], q1[1] - p1[1]);
  const d4 = cross(p2[0] - p1[0], p2[1] - p1[1], q2[0] - p1[0], q2[1] - p1[1]);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const onSegment = (a: Pair, b: Pair, p: Pair): boolean => Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
  return (d1 === 0 && onSegment(q1, q2, p1)) || (d2 === 0 && onSegment(q1, q2, p2)) || (d3 === 0 && onSegment(p1, p2, q1)) || (d4 === 0 && onSegment(p1, p2, q2));
}

/** shapely's is_valid for a polygon of one ring, or undefined when it is not; else its distinct points. */
export function validRing(ring: Ring): [number, number][] | undefined {
  const points = distinct(ring);
  const n = points.length;
  if (n < 3 || ringArea(points) === 0) return undefined;
  const start = (e: number): Pair => points[e]!;
  const end = (e: number): Pair => points[(e + 1) % n]!;
  for (let e = 0; e < n; e++) {
    // The next edge must not fold back over this one (a spike).
    const [a1, a2, b2] = [start(e), end(e), end((e + 1) % n)];
    const turn = cross(a2[0] - a1[0], a2[1] - a1[1], b2[0] - a2[0], b2[1] - a2[1]);
    const along = (a2[0] - a1[0]) * (b2[0] - a2[0]) + (a2[1] - a1[1]) * (b2[1] - a2[1]);
    if (turn === 0 && along < 0) return undefined;
  }
  // Every pair of edges that are not neighbours must not meet: a sweep over x, comparing each edge
  // with those still spanning its left end (a contour's edges are short, so few are), not all n².
  const minX = (e: number): number => Math.min(start(e)[0], end(e)[0]);
  const maxX = (e: number): number => Math.max(start(e)[0], end(e)[0]);
  const order = Array.from({ length: n }, (_, e) => e).sort((a, b) => minX(a) - minX(b));
  let active: number[] = [];
  for (const e of order) {
    const left = minX(e);
    active = active.filter((f) => maxX(f) >= left);
    const [p1, p2] = [start(e), end(e)];
    const [low, high] = [Math.min(p1[1], p2[1]), Math.max(p1[1], p2[1])];
    for (const f of active) {
      const gap = Math.abs(e - f);
      if (gap === 1 || gap === n - 1) continue; // neighbours share their end
      const [q1, q2] = [start(f), end(f)];
      if (Math.max(q1[1], q2[1]) < low || Math.min(q1[1], q2[1]) > high) continue;
      if (segmentsMeet(p1, p2, q1, q2)) return undefined;
    }
    active.push(e);
  }
  return points;
}

/** Area of the intersection of two simple polygons (one ring each). */
export function intersectionArea(a: Ring, b: Ring): number {
  const parts = polygonClipping.intersection([a.map(([x, y]): Pair => [x, y])], [b.map(([x, y]): Pair => [x, y])]);
  let area = 0;
  for (const polygon of parts) polygon.forEach((ring, k) => (area += k === 0 ? ringArea(ring) : -ringArea(ring)));
  return area;
}

export function boxRing([x1, y1, x2, y2]: readonly [number, number, number, number]): Ring {
  return [
    [x2, y1],
    [x2, y2],
    [x1, y2],
    [x1, y1],
  ];
}
