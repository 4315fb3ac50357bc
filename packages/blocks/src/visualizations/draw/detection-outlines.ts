/**
 * Outlines of instance-segmentation detections (Polygon Visualization): the contour of each mask,
 * or the detection's polygon where it has no mask. Where it has neither, v1 (Roboflow's own
 * annotator) outlines the box and v2 (supervision's) draws nothing.
 */
import type { Detections } from "@cvflow/engine";
import { pixelBox } from "./boxes.js";
import { paintFor, painter, type Canvas } from "./canvas.js";
import type { Rgb } from "./color-parsing.js";
import { detectionPolygon, detectionRegion, regionOutline } from "./region.js";
import { polyline, rectangle } from "./shapes.js";

export function drawOutlines(
  canvas: Canvas,
  detections: Detections,
  colors: readonly Rgb[],
  thickness: number,
  boxWithoutMask: boolean,
): void {
  for (let i = 0; i < detections.length; i++) {
    const sink = painter(canvas, paintFor(canvas, colors[i]!));
    const region = detections.masks?.[i] ? detectionRegion(detections, i) : null;
    const polygon = region ? null : detectionPolygon(detections, i);
    if (region) {
      regionOutline(region, sink, thickness);
    } else if (polygon && polygon.length >= 3) {
      polyline(sink, polygon, true, thickness);
    } else if (boxWithoutMask) {
      const [x1, y1, x2, y2] = pixelBox(detections, i);
      rectangle(sink, x1, y1, x2, y2, thickness);
    }
  }
}
