/**
 * Rasterisers for the shapes supervision draws with OpenCV, reduced to horizontal spans handed to
 * a sink (paint them, or collect them into a region). Thickness follows cv2: 1 is a one-pixel,
 * 8-connected line; t >= 2 strokes a band ceil(t / 2) pixels either side of the centre line with
 * round caps (cv2 draws thickness 2 three pixels wide); a negative thickness fills.
 */
export type SpanSink = (y: number, x0: number, x1: number) => void;

export type Point = readonly [number, number];

/** Pixels a stroke of `thickness` reaches either side of its centre line. */
export function halfWidth(thickness: number): number {
  return thickness <= 1 ? 0 : Math.floor((thickness + 1) / 2);
}

/** The pixels whose squared distance to (cx, cy) is at most r² (cv2's filled circle). */
export function disc(sink: SpanSink, cx: number, cy: number, r: number): void {
  for (let dy = -r; dy <= r; dy++) {
    const w = Math.floor(Math.sqrt(r * r - dy * dy));
    sink(cy + dy, cx - w, cx + w);
  }
}

/**
 * A circle's outline: the pixels whose distance to the centre lies within half a pixel of the
 * stroke's band. `quadrant` keeps one quarter (for rounded box corners): the signs of x and y
 * relative to the centre, y pointing down.
 */
export function ring(sink: SpanSink, cx: number, cy: number, r: number, thickness: number, quadrant?: Point): void {
  const h = halfWidth(thickness);
  const outer = r + h + 0.5;
  const inner = Math.max(0, r - h - 0.5);
  const reach = Math.floor(outer);
  for (let dy = -reach; dy <= reach; dy++) {
    if (quadrant && dy * quadrant[1] < 0) continue;
    const far = Math.floor(Math.sqrt(outer * outer - dy * dy));
    const nearSquared = inner * inner - dy * dy;
    const near = nearSquared <= 0 ? 0 : Math.ceil(Math.sqrt(nearSquared));
    if (near > far) continue;
    const left: Point = [-far, -near];
    const right: Point = [near, far];
    for (const [a, b] of near === 0 ? [[-far, far] as Point] : [left, right]) {
      const lo = quadrant && quadrant[0] > 0 ? Math.max(a, 0) : a;
      const hi = quadrant && quadrant[0] < 0 ? Math.min(b, 0) : b;
      if (lo <= hi) sink(cy + dy, cx + lo, cx + hi);
    }
  }
}

/** A straight line between pixels (coordinates truncated, as cv2 takes ints), both ends included. */
export function line(sink: SpanSink, x0: number, y0: number, x1: number, y1: number, thickness: number): void {
  const h = halfWidth(thickness);
  const [ax, ay, bx, by] = [Math.trunc(x0), Math.trunc(y0), Math.trunc(x1), Math.trunc(y1)];
  if (h === 0) bresenham(sink, ax, ay, bx, by);
  else capsule(sink, ax, ay, bx, by, h);
}

export function polyline(sink: SpanSink, points: readonly Point[], closed: boolean, thickness: number): void {
  const last = closed ? points.length : points.length - 1;
  for (let i = 0; i < last; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[(i + 1) % points.length]!;
    line(sink, x0, y0, x1, y1, thickness);
  }
}

/** cv2.rectangle between corners (x1, y1) and (x2, y2), both included. */
export function rectangle(sink: SpanSink, x1: number, y1: number, x2: number, y2: number, thickness: number): void {
  const [left, right] = x1 <= x2 ? [x1, x2] : [x2, x1];
  const [top, bottom] = y1 <= y2 ? [y1, y2] : [y2, y1];
  if (thickness < 0) {
    for (let y = top; y <= bottom; y++) sink(y, left, right);
    return;
  }
  polyline(sink, [[left, top], [right, top], [right, bottom], [left, bottom]], true, thickness);
}

/** A filled polygon with its outline (cv2.fillPoly includes the boundary), even-odd rule. */
export function filledPolygon(sink: SpanSink, points: readonly Point[]): void {
  filledPolygons(sink, [points]);
}

/**
 * Several polygons filled at once as cv2.fillPoly fills its list of contours: the even-odd rule
 * over all their edges together (where two overlap, the overlap stays empty), every outline drawn.
 * Spans may repeat pixels (fill and outline).
 */
export function filledPolygons(sink: SpanSink, rings: readonly (readonly Point[])[]): void {
  const ys = rings.flatMap((points) => points.map(([, y]) => y));
  if (ys.length === 0) return;
  const top = Math.ceil(Math.min(...ys));
  const bottom = Math.floor(Math.max(...ys));
  const crossings: number[] = [];
  for (let y = top; y <= bottom; y++) {
    crossings.length = 0;
    for (const points of rings) {
      for (let i = 0; i < points.length; i++) {
        const [px, py] = points[i]!;
        const [qx, qy] = points[(i + 1) % points.length]!;
        if (py === qy || y < Math.min(py, qy) || y >= Math.max(py, qy)) continue;
        crossings.push(px + ((y - py) * (qx - px)) / (qy - py));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.ceil(crossings[k]!);
      const to = Math.floor(crossings[k + 1]!);
      if (from <= to) sink(y, from, to);
    }
  }
  for (const points of rings) if (points.length > 0) polyline(sink, points, true, 1);
}

function bresenham(sink: SpanSink, x0: number, y0: number, x1: number, y1: number): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  let x = x0;
  let y = y0;
  for (;;) {
    sink(y, x, x);
    if (x === x1 && y === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

/** The pixels within `h` of the segment: a band `h` wide either side, with disc caps. */
function capsule(sink: SpanSink, x0: number, y0: number, x1: number, y1: number, h: number): void {
  if (x0 === x1 || y0 === y1) {
    axisCapsule(sink, Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1), h);
    return;
  }
  const length = Math.hypot(x1 - x0, y1 - y0);
  const nx = length > 0 ? (-(y1 - y0) / length) * h : 0;
  const ny = length > 0 ? ((x1 - x0) / length) * h : 0;
  const band: Point[] = [
    [x0 + nx, y0 + ny],
    [x1 + nx, y1 + ny],
    [x1 - nx, y1 - ny],
    [x0 - nx, y0 - ny],
  ];
  const ends: Point[] = [
    [x0, y0],
    [x1, y1],
  ];
  for (let y = Math.min(y0, y1) - h; y <= Math.max(y0, y1) + h; y++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [ex, ey] of ends) {
      const dy = y - ey;
      if (Math.abs(dy) > h) continue;
      const w = Math.floor(Math.sqrt(h * h - dy * dy));
      lo = Math.min(lo, ex - w);
      hi = Math.max(hi, ex + w);
    }
    if (length > 0) {
      const range = convexRowRange(band, y);
      if (range) {
        lo = Math.min(lo, Math.ceil(range[0] - 1e-9));
        hi = Math.max(hi, Math.floor(range[1] + 1e-9));
      }
    }
    if (lo <= hi) sink(y, lo, hi);
  }
}

/** capsule() for a horizontal or vertical segment (x0 <= x1, y0 <= y1): each row reaches as far as the caps' disc at its distance from the segment. */
function axisCapsule(sink: SpanSink, x0: number, y0: number, x1: number, y1: number, h: number): void {
  for (let y = y0 - h; y <= y1 + h; y++) {
    const dy = y < y0 ? y0 - y : y > y1 ? y - y1 : 0;
    const w = Math.floor(Math.sqrt(h * h - dy * dy));
    sink(y, x0 - w, x1 + w);
  }
}

/** Where row y crosses a convex polygon: [leftmost, rightmost] x, or undefined. */
function convexRowRange(polygon: readonly Point[], y: number): Point | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < polygon.length; i++) {
    const [px, py] = polygon[i]!;
    const [qx, qy] = polygon[(i + 1) % polygon.length]!;
    if (y < Math.min(py, qy) - 1e-9 || y > Math.max(py, qy) + 1e-9) continue;
    if (Math.abs(qy - py) < 1e-12) {
      lo = Math.min(lo, px, qx);
      hi = Math.max(hi, px, qx);
    } else {
      const x = px + ((y - py) * (qx - px)) / (qy - py);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}
