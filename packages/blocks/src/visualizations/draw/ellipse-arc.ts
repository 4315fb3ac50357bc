/**
 * cv2.ellipse's outline as the polyline OpenCV strokes (its ellipse2Poly inside EllipseEx): points
 * every `delta` degrees along the arc — 90, 30, 18 or 5 degrees as the larger half-axis is under
 * 3, 10, 15 pixels or more — the last at the end angle, in 16-bit fixed point (cv-polyline.ts),
 * repeated points dropped. Angles in whole degrees, clockwise from the x axis (y points down);
 * the ellipse is not rotated.
 */
import { ONE } from "./cv-polyline.js";
import type { Point } from "./shapes.js";

export function ellipseArc(cx: number, cy: number, halfWidth: number, halfHeight: number, startAngle: number, endAngle: number): Point[] {
  const a = Math.abs(halfWidth);
  const b = Math.abs(halfHeight);
  const larger = Math.max(a, b);
  const delta = larger < 3 ? 90 : larger < 10 ? 30 : larger < 15 ? 18 : 5;
  let [start, end] = startAngle > endAngle ? [endAngle, startAngle] : [startAngle, endAngle];
  while (start < 0) [start, end] = [start + 360, end + 360];
  while (end > 360) [start, end] = [start - 360, end - 360];
  if (end - start > 360) [start, end] = [0, 360];
  const points: Point[] = [];
  for (let i = start; i < end + delta; i += delta) {
    let angle = Math.min(i, end);
    if (angle < 0) angle += 360;
    const x = cx * ONE + a * ONE * sinTable(450 - angle);
    const y = cy * ONE + b * ONE * sinTable(angle);
    const point: Point = [fixedRound(x), fixedRound(y)];
    const last = points[points.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
  }
  return points.length === 1 ? [[cx * ONE, cy * ONE], [cx * ONE, cy * ONE]] : points;
}

/** OpenCV's SinTable entry: the sine of whole degrees to 7 decimals, as a float. */
function sinTable(degrees: number): number {
  return Math.fround(Math.round(Math.sin((degrees * Math.PI) / 180) * 1e7) / 1e7);
}

/** EllipseEx's rounding to fixed point: the whole pixel rounded, then the remainder. */
function fixedRound(v: number): number {
  const whole = roundHalfEven(v / ONE) * ONE;
  return whole + roundHalfEven(v - whole);
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}
