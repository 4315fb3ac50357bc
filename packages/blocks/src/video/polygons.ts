/** Contour geometry as OpenCV measures it: area, closed perimeter, simplification, bounding box. */
import type { Point } from "../classical_cv/find-contours.js";

/** contourArea: the shoelace area of the closed polygon. */
export function contourArea(points: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

/** arcLength(closed=true). */
export function closedPerimeter(points: readonly Point[]): number {
  let length = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    length += Math.hypot(x2 - x1, y2 - y1);
  }
  return length;
}

/**
 * approxPolyDP for a closed curve: Ramer–Douglas–Peucker from the first point and the point
 * farthest from it, each half simplified to within `epsilon`.
 */
export function simplifyClosed(points: readonly Point[], epsilon: number): Point[] {
  if (points.length < 3) return [...points];
  let far = 0;
  let farDist = -1;
  points.forEach(([x, y], i) => {
    const d = Math.hypot(x - points[0]![0], y - points[0]![1]);
    if (d > farDist) [far, farDist] = [i, d];
  });
  const first = simplifyOpen(points.slice(0, far + 1), epsilon);
  const second = simplifyOpen([...points.slice(far), points[0]!], epsilon);
  return [...first.slice(0, -1), ...second.slice(0, -1)];
}

function simplifyOpen(points: readonly Point[], epsilon: number): Point[] {
  if (points.length <= 2) return [...points];
  const [ax, ay] = points[0]!;
  const [bx, by] = points.at(-1)!;
  const length = Math.hypot(bx - ax, by - ay);
  let worst = 0;
  let worstDist = -1;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i]!;
    const d = length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length;
    if (d > worstDist) [worst, worstDist] = [i, d];
  }
  if (worstDist <= epsilon) return [points[0]!, points.at(-1)!];
  return [...simplifyOpen(points.slice(0, worst + 1), epsilon).slice(0, -1), ...simplifyOpen(points.slice(worst), epsilon)];
}

/** boundingRect as x1, y1, x2, y2 with x2 = x + w (one past the last pixel), as Roboflow's boxes are. */
export function boundingBox(points: readonly Point[]): [number, number, number, number] {
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs) + 1, Math.max(...ys) + 1];
}
