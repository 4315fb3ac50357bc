/**
 * The text regions of a binary mask: its 8-connected components, each given by the two ends of
 * every horizontal run it holds. Those ends (pixel centres) contain the region's convex hull,
 * which is all a minimum-area rectangle needs, at a fraction of the points of the region.
 */
import type { Point } from "./polygon.js";

export function regionOutlines(mask: Uint8Array, width: number, height: number, maxRegions: number): Point[][] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let regions = 0;
  for (let start = 0; start < mask.length && regions < maxRegions; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = ++regions;
    labels[start] = label;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const index = stack[--top]!;
      const x = index % width;
      const y = (index - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const neighbour = ny * width + nx;
          if (mask[neighbour] && !labels[neighbour]) {
            labels[neighbour] = label;
            stack[top++] = neighbour;
          }
        }
      }
    }
  }
  const outlines: Point[][] = Array.from({ length: regions }, () => []);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      const label = labels[row + x]!;
      if (!label) {
        x++;
        continue;
      }
      const runStart = x;
      while (x + 1 < width && labels[row + x + 1] === label) x++;
      outlines[label - 1]!.push([runStart, y], [x, y]);
      x++;
    }
  }
  return outlines;
}
