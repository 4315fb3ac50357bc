/**
 * Whether tracked objects are inside a polygon, as supervision's PolygonZone decides: the polygon
 * (coordinates truncated to integers) is filled as cv2.fillPoly fills it, boundary included, and an
 * object is inside when every triggering anchor, rounded up to a pixel, is a filled pixel.
 */
import type { Detections } from "@cvflow/engine";
import { filledPolygon } from "../visualizations/draw/shapes.js";
import { anchorsOf, type Point } from "./zone-geometry.js";

/** A filled polygon as spans per row: rows[y - top] holds [x0, x1, x0, x1, ...], ends included. */
export interface FilledPolygon {
  top: number;
  rows: number[][];
}

export function fillPolygon(polygon: readonly Point[]): FilledPolygon {
  const points = polygon.map(([x, y]) => [Math.trunc(x), Math.trunc(y)] as const);
  const top = Math.min(...points.map(([, y]) => y));
  const rows: number[][] = [];
  filledPolygon((y, x0, x1) => (rows[y - top] ??= []).push(x0, x1), points);
  return { top, rows };
}

function covers(zone: FilledPolygon, [x, y]: Point): boolean {
  // supervision's mask starts at pixel (0, 0): nothing at negative coordinates is inside.
  if (x < 0 || y < 0) return false;
  const spans = zone.rows[y - zone.top];
  if (!spans) return false;
  for (let k = 0; k < spans.length; k += 2) if (x >= spans[k]! && x <= spans[k + 1]!) return true;
  return false;
}

/** For each detection: inside any of the zones (all its anchors inside one zone). */
export function insideZones(zones: readonly FilledPolygon[], detections: Detections, anchors: readonly string[]): boolean[] {
  return Array.from({ length: detections.length }, (_, i) => {
    const pixels = anchorsOf(detections, i, anchors).map(([x, y]) => [Math.ceil(x), Math.ceil(y)] as const);
    return zones.some((zone) => pixels.every((p) => covers(zone, p)));
  });
}
