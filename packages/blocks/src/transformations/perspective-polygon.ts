/**
 * The quadrilateral perspective_correction maps onto a rectangle, made as Roboflow's block makes
 * it: the largest 4-vertex polygon given, its vertices ordered clockwise from the one nearest the
 * bottom-left corner of its extent, and, optionally, grown so that every detection's anchor lies
 * inside it (each side moved out parallel to itself, along its neighbours, to pass through an
 * anchor outside it; how far each side moved is the extension of the rectangle).
 */
import type { Detections } from "@cvflow/engine";
import { roundHalfEven } from "../common/python-numbers.js";
import { invalidField } from "../errors.js";
import { anchorPoint } from "../visualizations/draw/anchors.js";
import type { Point } from "../visualizations/draw/shapes.js";

export const ALL_POSITIONS = "ALL";

const isPoint = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number");

/** Shoelace area (cv2.contourArea, unsigned). */
function area(polygon: readonly Point[]): number {
  let twice = 0;
  polygon.forEach(([x1, y1], k) => {
    const [x2, y2] = polygon[(k + 1) % polygon.length]!;
    twice += x1 * y2 - x2 * y1;
  });
  return Math.abs(twice) / 2;
}

/** One polygon of 4 vertices as given; of a list of polygons, the largest of those with 4 vertices, rounded to whole pixels. */
export function largestQuadrilateral(value: unknown): Point[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidField("perspective_polygons must be a polygon of 4 [x, y] vertices or a list of polygons");
  if (value.length === 4 && value.every(isPoint)) return value.map(([x, y]) => [x, y] as Point);
  const quadrilaterals = value
    .filter((p): p is [number, number][] => Array.isArray(p) && p.length === 4 && p.every(isPoint))
    .map((p) => p.map(([x, y]) => [roundHalfEven(x), roundHalfEven(y)] as Point));
  if (quadrilaterals.length === 0) throw invalidField("No polygon of perspective_polygons has 4 vertices");
  // The first of equal areas, as Python's max.
  return quadrilaterals.reduce((best, p) => (area(p) > area(best) ? p : best));
}

/** Clockwise on screen (descending atan2(cx - x, cy - y) about the extent's centre), ties in given order. */
function sortClockwise(polygon: readonly Point[]): Point[] {
  const xs = polygon.map(([x]) => x);
  const ys = polygon.map(([, y]) => y);
  const cx = Math.min(...xs) / 2 + Math.max(...xs) / 2;
  const cy = Math.min(...ys) / 2 + Math.max(...ys) / 2;
  const angle = ([x, y]: Point) => Math.atan2(cx - x, cy - y);
  return [...polygon].sort((a, b) => angle(b) - angle(a));
}

/** The rotation of the vertices closest (summed distances) to bottom-left, top-left, top-right, bottom-right of their extent. */
function startFromBottomLeft(polygon: readonly Point[]): Point[] {
  const xs = polygon.map(([x]) => x);
  const ys = polygon.map(([, y]) => y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const corners: Point[] = [[x0, y1], [x0, y0], [x1, y0], [x1, y1]];
  const distance = (p: readonly Point[]) => corners.reduce((s, [a, b], k) => s + Math.hypot(a - p[k]![0], b - p[k]![1]), 0);
  let closest = [...polygon];
  let best = distance(closest);
  for (let shift = 0; shift < 4; shift++) {
    const rolled = polygon.map((_, k) => polygon[(k - shift + 4) % 4]!);
    const d = distance(rolled);
    if (d < best || (d === best && rolled[0]![0] < closest[0]![0])) [best, closest] = [d, rolled];
  }
  return closest;
}

export function orderedQuadrilateral(polygon: readonly Point[]): Point[] {
  return startFromBottomLeft(sortClockwise(polygon));
}

/** A line y = a·x + b, or x = b when vertical (a null). */
type Line = [number | null, number];

function lineThrough([x1, y1]: Point, [x2, y2]: Point): Line {
  return x1 === x2 ? [null, x1] : [(y2 - y1) / (x2 - x1), (y1 * x2 - y2 * x1) / (x2 - x1)];
}

function meet([a1, b1]: Line, [a2, b2]: Line): Point {
  if (a1 === null && a2 === null) throw invalidField("perspective_polygons: two sides of the polygon are both vertical where they should meet");
  if (a1 === null) return [b1, a2! * b1 + b2];
  if (a2 === null) return [b2, a1 * b2 + b1];
  const x = (b2 - b1) / (a1 - a2);
  return [x, a1 * x + b1];
}

/** The side v1-v2 moved parallel to pass through (x, y), its ends sliding along v1-v3 and v2-v4; rounded. */
function moveSide(v1: Point, v2: Point, v3: Point, v4: Point, [x, y]: Point): [Point, Point] {
  const [a] = lineThrough(v1, v2);
  const shifted: Line = [a, a === null ? x : y - a * x];
  const round = ([px, py]: Point): Point => [roundHalfEven(px), roundHalfEven(py)];
  return [round(meet(lineThrough(v1, v3), shifted)), round(meet(lineThrough(v2, v4), shifted))];
}

const leftTurn = ([x1, y1]: Point, [x2, y2]: Point, [x3, y3]: Point): boolean => (x2 - x1) * (y3 - y1) - (y2 - y1) * (x3 - x1) > 0;

export interface ExtendedQuadrilateral {
  polygon: Point[];
  originalWidth: number;
  originalHeight: number;
  extendedWidth: number;
  extendedHeight: number;
}

/**
 * Grows the ordered quadrilateral (bottom-left, top-left, top-right, bottom-right) so that each
 * detection's anchor (`ALL`: the box's corners on each side) is inside it, side by side in
 * Roboflow's order: left, right, bottom, top. `inside(polygon, point)` is OpenCV's pointPolygonTest >= 0.
 */
export function extendQuadrilateral(polygon: readonly Point[], detections: Detections, anchor: string, inside: (polygon: readonly Point[], p: Point) => boolean): ExtendedQuadrilateral {
  let [bl, tl, tr, br] = polygon as [Point, Point, Point, Point];
  const originalWidth = Math.max(Math.hypot(bl[0] - br[0], bl[1] - br[1]), Math.hypot(tl[0] - tr[0], tl[1] - tr[1]));
  const originalHeight = Math.max(Math.hypot(bl[0] - tl[0], bl[1] - tl[1]), Math.hypot(br[0] - tr[0], br[1] - tr[1]));
  let extendedWidth = 0;
  let extendedHeight = 0;
  const points = (i: number, all: readonly string[]): Point[] => (anchor === ALL_POSITIONS ? all : [anchor]).map((p) => anchorPoint(detections, i, p));
  const outside = (p: Point) => !inside([bl, tl, tr, br], p);
  for (let i = 0; i < detections.length; i++) {
    for (const p of points(i, ["BOTTOM_LEFT", "TOP_LEFT"])) {
      if (!outside(p) || leftTurn(bl, tl, p)) continue;
      const before = bl;
      [bl, tl] = moveSide(bl, tl, br, tr, p);
      extendedWidth += Math.hypot(bl[0] - before[0], bl[1] - before[1]);
    }
    for (const p of points(i, ["BOTTOM_RIGHT", "TOP_RIGHT"])) {
      if (!outside(p) || leftTurn(tr, br, p)) continue;
      const before = br;
      [tr, br] = moveSide(tr, br, tl, bl, p);
      extendedWidth += Math.hypot(br[0] - before[0], br[1] - before[1]);
    }
    for (const p of points(i, ["BOTTOM_RIGHT", "BOTTOM_LEFT"])) {
      if (!outside(p) || leftTurn(br, bl, p)) continue;
      const before = bl;
      [br, bl] = moveSide(br, bl, tr, tl, p);
      extendedHeight += Math.hypot(bl[0] - before[0], bl[1] - before[1]);
    }
    for (const p of points(i, ["TOP_RIGHT", "TOP_LEFT"])) {
      if (!outside(p) || leftTurn(tl, tr, p)) continue;
      const before = tl;
      [tl, tr] = moveSide(tl, tr, bl, br, p);
      extendedHeight += Math.hypot(tl[0] - before[0], tl[1] - before[1]);
    }
  }
  return { polygon: [bl, tl, tr, br], originalWidth, originalHeight, extendedWidth, extendedHeight };
}
