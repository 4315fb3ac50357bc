/**
 * DB's "unclip": the network is trained to predict text regions shrunk towards their centre,
 * so each found region is grown back by distance = area × ratio / perimeter. The growth is the
 * polygon offset with rounded corners (pyclipper's JT_ROUND), exact for the convex polygons
 * DB post-processing feeds it.
 */
import { perimeter, signedArea, type Point } from "./polygon.js";

/** Largest angle between two points of a rounded corner. */
const ARC_STEP = Math.PI / 18;

export function unclip(polygon: readonly Point[], ratio: number): Point[] {
  const length = perimeter(polygon);
  if (length === 0) return [...polygon];
  return offsetConvexPolygon(polygon, (Math.abs(signedArea(polygon)) * ratio) / length);
}

/** Every point of a convex polygon pushed `distance` outward, corners joined by arcs. */
export function offsetConvexPolygon(polygon: readonly Point[], distance: number): Point[] {
  const vertices = polygon.filter((p, i) => {
    const next = polygon[(i + 1) % polygon.length]!;
    return p[0] !== next[0] || p[1] !== next[1];
  });
  // Outward normals are (dy, -dx) when the signed area is positive.
  if (signedArea(vertices) < 0) vertices.reverse();
  const n = vertices.length;
  const normalAngle = (from: Point, to: Point) => Math.atan2(-(to[0] - from[0]), to[1] - from[1]);
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const previous = vertices[(i + n - 1) % n]!;
    const vertex = vertices[i]!;
    const next = vertices[(i + 1) % n]!;
    const start = normalAngle(previous, vertex);
    let turn = normalAngle(vertex, next) - start;
    while (turn < 0) turn += 2 * Math.PI;
    const steps = Math.max(1, Math.ceil(turn / ARC_STEP));
    for (let k = 0; k <= steps; k++) {
      const angle = start + (turn * k) / steps;
      out.push([vertex[0] + distance * Math.cos(angle), vertex[1] + distance * Math.sin(angle)]);
    }
  }
  return out;
}
