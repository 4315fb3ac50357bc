/** Anchor points on a detection (supervision's Position), where labels and dots are placed. */
import type { Detections } from "@cvflow/engine";
import { invalidDrawing } from "../../errors.js";
import { detectionRegion, regionCentroid } from "./region.js";
import type { Point } from "./shapes.js";

export const BOX_POSITIONS = [
  "CENTER",
  "CENTER_LEFT",
  "CENTER_RIGHT",
  "TOP_CENTER",
  "TOP_LEFT",
  "TOP_RIGHT",
  "BOTTOM_LEFT",
  "BOTTOM_CENTER",
  "BOTTOM_RIGHT",
] as const;

export const POSITIONS = [...BOX_POSITIONS, "CENTER_OF_MASS"] as const;

/** The anchor of detection `i` in pixel coordinates (not rounded). */
export function anchorPoint(detections: Detections, i: number, position: string): Point {
  const [x1, y1, x2, y2] = detections.box(i);
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  switch (position) {
    case "CENTER":
      return [cx, cy];
    case "CENTER_LEFT":
      return [x1, cy];
    case "CENTER_RIGHT":
      return [x2, cy];
    case "TOP_CENTER":
      return [cx, y1];
    case "TOP_LEFT":
      return [x1, y1];
    case "TOP_RIGHT":
      return [x2, y1];
    case "BOTTOM_LEFT":
      return [x1, y2];
    case "BOTTOM_CENTER":
      return [cx, y2];
    case "BOTTOM_RIGHT":
      return [x2, y2];
    case "CENTER_OF_MASS": {
      const region = detectionRegion(detections, i);
      if (!region) {
        throw invalidDrawing("missing_mask", "Position CENTER_OF_MASS needs instance-segmentation predictions (masks or polygons)");
      }
      return regionCentroid(region);
    }
    default:
      throw invalidDrawing("invalid_position", `Unknown position ${JSON.stringify(position)}`);
  }
}
