/** Point-in-polygon for the "(Detection) in zone" comparator. */
import { PythonTypeError } from "./python-values.js";
import { SingleDetection } from "./values.js";

type Point = [number, number];

function asPoint(value: unknown): Point | undefined {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number")) return value as Point;
  return undefined;
}

/** A detection stands for the centre of its box. */
function pointOf(value: unknown): Point {
  if (value instanceof SingleDetection) {
    const [x1, y1, x2, y2] = value.box();
    return [(x1 + x2) / 2, (y1 + y2) / 2];
  }
  const point = asPoint(value);
  if (!point) throw new PythonTypeError("the left operand must be a detection or an [x, y] point");
  return point;
}

function zoneOf(value: unknown): Point[] {
  const points = Array.isArray(value) ? value.map(asPoint) : [];
  if (points.length < 3 || points.some((p) => p === undefined)) {
    throw new PythonTypeError("the right operand must be a zone: a list of at least 3 [x, y] points");
  }
  return points as Point[];
}

function onSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): boolean {
  const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  return cross === 0 && Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** Strictly inside the polygon (a point on its edge is outside), by even-odd ray casting. */
export function isInZone(point: unknown, zone: unknown): boolean {
  const p = pointOf(point);
  const polygon = zoneOf(zone);
  const [px, py] = p;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (onSegment(p, a, b)) return false;
    if (a[1] > py !== b[1] > py && px < ((b[0] - a[0]) * (py - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}
