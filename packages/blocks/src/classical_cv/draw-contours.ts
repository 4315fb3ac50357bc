/**
 * Closed polylines drawn into RGB pixels: 8-connected lines between consecutive points, and for
 * a thickness above 1 a disc of that diameter stamped along them (OpenCV draws thick lines as
 * filled strips with round ends, which this matches up to edge pixels).
 */
import type { RawPixels } from "@cvflow/vision";
import type { Rgb } from "../common/color-tuple.js";
import type { Point } from "./find-contours.js";

export function drawContours(pixels: RawPixels, contours: readonly Point[][], color: Rgb, thickness: number): RawPixels {
  const { width, height, channels } = pixels;
  const data = Uint8Array.from(pixels.data);
  const r = Math.max(thickness, 1) / 2;
  const reach = Math.floor(r);
  const disc: [number, number][] = [];
  for (let dy = -reach; dy <= reach; dy++) for (let dx = -reach; dx <= reach; dx++) if (thickness <= 1 || dx * dx + dy * dy <= r * r) disc.push([dx, dy]);
  const plot = (x: number, y: number): void => {
    for (const [dx, dy] of disc) {
      const px = x + dx;
      const py = y + dy;
      if (px < 0 || py < 0 || px >= width || py >= height) continue;
      const o = (py * width + px) * channels;
      for (let c = 0; c < channels; c++) data[o + c] = color[c]!;
    }
  };
  for (const contour of contours) {
    for (let i = 0; i < contour.length; i++) line(contour[i]!, contour[(i + 1) % contour.length]!, plot);
  }
  return { data, width, height, channels };
}

/** Bresenham's line, both ends included. */
function line([x0, y0]: Point, [x1, y1]: Point, plot: (x: number, y: number) => void): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(x0, y0);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}
