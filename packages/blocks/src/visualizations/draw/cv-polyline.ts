/**
 * Strokes a polyline pixel for pixel as cv2.polylines / cv2.ellipse do (OpenCV's PolyLine with
 * LINE_4 or LINE_8, no anti-aliasing), for shapes whose vertices OpenCV keeps with 16 bits of
 * sub-pixel position (ellipse arcs) or that it strokes along slanted edges (triangle outlines),
 * where shapes.ts's distance-based strokes miss pixels by one.
 *
 * OpenCV's rules, as read from imgproc/src/drawing.cpp:
 * - thickness <= 1: one-pixel lines; LINE_4 (or whole-pixel vertices) rounds the ends and steps
 *   4- or 8-connected; otherwise an 8-connected line walks the sub-pixel ends.
 * - thickness t >= 2: each segment is the quadrilateral offset t/2 (+1/2 when t is odd) either
 *   side of it, filled as a convex polygon (its outline walked too), plus a filled round cap of
 *   radius round(t/2) at the ends: both ends of an open polyline's first segment, the far end of
 *   every other segment.
 * Coordinates are fixed point: 1 pixel = ONE. The sink clips.
 */
import type { Point, SpanSink } from "./shapes.js";

const SHIFT = 16;
export const ONE = 1 << SHIFT;
const HALF = ONE >> 1;

export type Connectivity = 4 | 8;

/** A point in pixels as OpenCV's fixed point (whole pixels shifted; fractions rounded). */
export function fixed([x, y]: Point): Point {
  return [Math.round(x * ONE), Math.round(y * ONE)];
}

export function cvPolyline(sink: SpanSink, points: readonly Point[], closed: boolean, thickness: number, connectivity: Connectivity, subPixel: boolean): void {
  if (points.length === 0) return;
  let flags = closed ? 2 : 3;
  let p0 = points[closed ? points.length - 1 : 0]!;
  for (let i = closed ? 0 : 1; i < points.length; i++) {
    const p = points[i]!;
    thickLine(sink, p0, p, thickness, connectivity, subPixel, flags);
    p0 = p;
    flags = 2;
  }
}

/** A convex polygon (fixed point) filled as OpenCV's FillConvexPoly does, outline included. */
export function cvFillConvex(sink: SpanSink, v: readonly Point[]): void {
  const n = v.length;
  let imin = 0;
  let [ymin, ymax] = [v[0]![1], v[0]![1]];
  let p0 = v[n - 1]!;
  for (let i = 0; i < n; i++) {
    const p = v[i]!;
    if (p[1] < ymin) [ymin, imin] = [p[1], i];
    ymax = Math.max(ymax, p[1]);
    subPixelLine(sink, p0, p);
    p0 = p;
  }
  if (n < 3) return;
  const top = shr(ymin + HALF);
  const bottom = shr(ymax + HALF);
  const edge = [
    { idx: imin, di: 1, x: -ONE, dx: 0, ye: top },
    { idx: imin, di: n - 1, x: -ONE, dx: 0, ye: top },
  ];
  let remaining = n;
  for (let y = top; y <= bottom; y++) {
    for (const e of edge) {
      if (y < e.ye) continue;
      let idx0 = e.idx;
      let idx = (idx0 + e.di) % n;
      // The edge budget is shared by both sides and spent on every test, as OpenCV's `edges--`.
      while (remaining-- > 0) {
        const ty = shr(v[idx]![1] + HALF);
        if (ty > y) {
          const xs = v[idx0]![0];
          e.ye = ty;
          e.dx = Math.trunc(((v[idx]![0] - xs) * 2 + (ty - y)) / (2 * (ty - y)));
          e.x = xs;
          e.idx = idx;
          break;
        }
        idx0 = idx;
        idx = (idx + e.di) % n;
      }
    }
    if (remaining < 0) return;
    const [l, r] = edge[0]!.x > edge[1]!.x ? [edge[1]!, edge[0]!] : [edge[0]!, edge[1]!];
    sink(y, shr(l.x + HALF), shr(r.x + HALF));
    edge[0]!.x += edge[0]!.dx;
    edge[1]!.x += edge[1]!.dx;
  }
}

/** OpenCV's filled Circle: the midpoint circle's rows (whole-pixel centre and radius). */
export function cvDisc(sink: SpanSink, cx: number, cy: number, radius: number): void {
  let err = 0;
  let dx = radius;
  let dy = 0;
  let plus = 1;
  let minus = 2 * radius - 1;
  while (dx >= dy) {
    sink(cy - dy, cx - dx, cx + dx);
    sink(cy + dy, cx - dx, cx + dx);
    sink(cy - dx, cx - dy, cx + dy);
    sink(cy + dx, cx - dy, cx + dy);
    dy++;
    err += plus;
    plus += 2;
    if (err > 0) {
      err -= minus;
      dx--;
      minus -= 2;
    }
  }
}

function thickLine(sink: SpanSink, p0: Point, p1: Point, thickness: number, connectivity: Connectivity, subPixel: boolean, flags: number): void {
  if (thickness <= 1) {
    if (connectivity === 4 || !subPixel) wholePixelLine(sink, round(p0), round(p1), connectivity);
    else subPixelLine(sink, p0, p1);
    return;
  }
  const dx = (p0[0] - p1[0]) / ONE;
  const dy = (p1[1] - p0[1]) / ONE;
  const r2 = dx * dx + dy * dy;
  const half = thickness * HALF;
  if (Math.abs(r2) > Number.EPSILON) {
    const r = (half + (thickness & 1) * ONE * 0.5) / Math.sqrt(r2);
    const ox = roundHalfEven(dy * r);
    const oy = roundHalfEven(dx * r);
    cvFillConvex(sink, [
      [p0[0] + ox, p0[1] + oy],
      [p0[0] - ox, p0[1] - oy],
      [p1[0] - ox, p1[1] - oy],
      [p1[0] + ox, p1[1] + oy],
    ]);
  }
  const radius = shr(half + HALF);
  if (flags & 1) cvDisc(sink, ...round(p0), radius);
  if (flags & 2) cvDisc(sink, ...round(p1), radius);
}

/** OpenCV's LineIterator (left to right) between whole pixels: 8-connected, or 4-connected (no diagonal steps). */
function wholePixelLine(sink: SpanSink, a: Point, b: Point, connectivity: Connectivity): void {
  let [[x, y], [x2, y2]] = a[0] <= b[0] ? [a, b] : [b, a];
  const dx = x2 - x;
  const dy = Math.abs(y2 - y);
  const sy = y2 < y ? -1 : 1;
  const steep = dy > dx;
  // major: the step every pixel takes; minor: the other axis's step when the error says so.
  const [long, short] = steep ? [dy, dx] : [dx, dy];
  const major: Point = steep ? [0, sy] : [1, 0];
  const minor: Point = steep ? [1, 0] : [0, sy];
  let err = connectivity === 8 ? long - 2 * short : 0;
  const count = connectivity === 8 ? long + 1 : long + short + 1;
  for (let i = 0; i < count; i++) {
    sink(y, x, x);
    if (err < 0) {
      err += connectivity === 8 ? 2 * long - 2 * short : 2 * long;
      if (connectivity === 8) [x, y] = [x + major[0] + minor[0], y + major[1] + minor[1]];
      else [x, y] = [x + minor[0], y + minor[1]];
    } else {
      err -= 2 * short;
      [x, y] = [x + major[0], y + major[1]];
    }
  }
}

/** OpenCV's Line2: an 8-connected line between sub-pixel ends, its far end's pixel always set. */
function subPixelLine(sink: SpanSink, a: Point, b: Point): void {
  let [x1, y1] = a;
  let [x2, y2] = b;
  const ax = Math.abs(x2 - x1);
  const ay = Math.abs(y2 - y1);
  if (ax > ay) {
    if (x2 < x1) [x1, y1, x2, y2] = [x2, y2, x1, y1];
    const yStep = Math.trunc(((y2 - y1) * ONE) / (ax | 1));
    let count = shr(x2 - x1);
    sink(shr(y2 + HALF), shr(x2 + HALF), shr(x2 + HALF));
    let x = shr(x1 + HALF);
    let y = y1 + HALF;
    for (; count >= 0; count--, x++, y += yStep) sink(shr(y), x, x);
  } else {
    if (y2 < y1) [x1, y1, x2, y2] = [x2, y2, x1, y1];
    const xStep = Math.trunc(((x2 - x1) * ONE) / (ay | 1));
    let count = shr(y2 - y1);
    sink(shr(y2 + HALF), shr(x2 + HALF), shr(x2 + HALF));
    let y = shr(y1 + HALF);
    let x = x1 + HALF;
    for (; count >= 0; count--, y++, x += xStep) sink(y, shr(x), shr(x));
  }
}

/** A fixed-point value's whole pixel (arithmetic shift: floor). */
function shr(v: number): number {
  return Math.floor(v / ONE);
}

function round([x, y]: Point): [number, number] {
  return [shr(x + HALF), shr(y + HALF)];
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}
