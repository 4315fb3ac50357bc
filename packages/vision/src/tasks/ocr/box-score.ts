/** DB's "fast" box score: the mean probability over the pixels a convex polygon covers. */
import type { Point } from "./polygon.js";

export function meanInsidePolygon(map: Float32Array, width: number, height: number, polygon: readonly Point[]): number {
  const ys = polygon.map((p) => p[1]);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    // A convex polygon meets a row in one span: from the leftmost to the rightmost edge crossing.
    let left = Infinity;
    let right = -Infinity;
    for (let i = 0; i < polygon.length; i++) {
      const [ax, ay] = polygon[i]!;
      const [bx, by] = polygon[(i + 1) % polygon.length]!;
      if (y < Math.min(ay, by) || y > Math.max(ay, by)) continue;
      const xs = ay === by ? [ax, bx] : [ax + ((y - ay) * (bx - ax)) / (by - ay)];
      for (const x of xs) {
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
    if (left > right) continue;
    const x1 = Math.min(width - 1, Math.round(right));
    for (let x = Math.max(0, Math.round(left)); x <= x1; x++) {
      sum += map[y * width + x]!;
      count++;
    }
  }
  return count ? sum / count : 0;
}
