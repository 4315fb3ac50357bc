/**
 * The smallest-area rectangle around a point set (OpenCV's minAreaRect), found by rotating
 * calipers: one side of the optimal rectangle lies on an edge of the convex hull.
 */
import { convexHull, signedArea, type Point, type Quad } from "./polygon.js";

export interface RotatedRect {
  corners: Quad;
  shortSide: number;
}

export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length < 3) {
    // A point or a segment: a rectangle with no width.
    const a = hull[0] ?? [0, 0];
    const b = hull[hull.length - 1] ?? a;
    return { corners: orderCorners([a, b, b, a]), shortSide: 0 };
  }
  let best: { area: number; ux: number; uy: number; s0: number; s1: number; t0: number; t1: number } | undefined;
  for (let i = 0; i < hull.length; i++) {
    const [x1, y1] = hull[i]!;
    const [x2, y2] = hull[(i + 1) % hull.length]!;
    const length = Math.hypot(x2 - x1, y2 - y1);
    const ux = (x2 - x1) / length;
    const uy = (y2 - y1) / length;
    let s0 = Infinity, s1 = -Infinity, t0 = Infinity, t1 = -Infinity;
    for (const [x, y] of hull) {
      const s = x * ux + y * uy;
      const t = -x * uy + y * ux;
      s0 = Math.min(s0, s); s1 = Math.max(s1, s);
      t0 = Math.min(t0, t); t1 = Math.max(t1, t);
    }
    const area = (s1 - s0) * (t1 - t0);
    if (!best || area < best.area) best = { area, ux, uy, s0, s1, t0, t1 };
  }
  const { ux, uy, s0, s1, t0, t1 } = best!;
  const corner = (s: number, t: number): Point => [s * ux - t * uy, s * uy + t * ux];
  return {
    corners: orderCorners([corner(s0, t0), corner(s1, t0), corner(s1, t1), corner(s0, t1)]),
    shortSide: Math.min(s1 - s0, t1 - t0),
  };
}

/**
 * A rectangle's corners (in cyclic order) from its top-left, clockwise on screen. The top-left
 * corner starts the side that points most to the right, so a tilted or tall box still has its
 * top side first.
 */
export function orderCorners(corners: Quad): Quad {
  const cycle = signedArea(corners) < 0 ? [...corners].reverse() : [...corners];
  let start = 0;
  let rightmost = -Infinity;
  for (let i = 0; i < 4; i++) {
    const [x0, y0] = cycle[i]!;
    const [x1, y1] = cycle[(i + 1) % 4]!;
    const length = Math.hypot(x1 - x0, y1 - y0);
    // ties (a square at 45°) go to the first, a zero-length side never wins over a real one
    const direction = length ? (x1 - x0) / length : -2;
    if (direction > rightmost + 1e-9) {
      rightmost = direction;
      start = i;
    }
  }
  return [0, 1, 2, 3].map((k) => cycle[(start + k) % 4]!) as Quad;
}
