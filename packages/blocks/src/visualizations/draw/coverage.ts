/**
 * Which pixels a set of detections covers, as supervision's whole-image overlays see it
 * (Background Color, Model Comparison, Halo): each detection's mask when the detections carry
 * masks, else its box as the numpy slice [y1:y2, x1:x2] of its corners cast to int — the right
 * and bottom edges excluded, unlike the drawn boxes.
 */
import type { Detections } from "@cvflow/engine";
import { pixelBox, sliceBounds } from "./boxes.js";
import { detectionRegion, forEachRun } from "./region.js";
import type { SpanSink } from "./shapes.js";

/** sv.Detections.mask is not None: a mask column, or polygons (`points`), from which sv builds masks. */
export function hasMasks(detections: Detections): boolean {
  return detections.masks !== undefined || detections.data["points"] !== undefined;
}

/**
 * Hands detection i's covered pixels to `sink` as row spans: its mask (nothing where it has none)
 * when `masks`, else its box slice. The spans may leave the image; sinks clip.
 */
export function coveredSpans(detections: Detections, i: number, masks: boolean, width: number, height: number, sink: SpanSink): void {
  if (masks) {
    const region = detectionRegion(detections, i);
    if (region) forEachRun(region, sink);
    return;
  }
  const [x1, y1, x2, y2] = pixelBox(detections, i);
  const [left, right] = sliceBounds(x1, x2, width);
  const [top, bottom] = sliceBounds(y1, y2, height);
  for (let y = top; y < bottom; y++) if (left < right) sink(y, left, right - 1);
}

/** A width x height map, 1 where any of the detections covers (see coveredSpans). */
export function coverageMap(detections: Detections, width: number, height: number, masks: boolean): Uint8Array {
  const map = new Uint8Array(width * height);
  for (let i = 0; i < detections.length; i++) coveredSpans(detections, i, masks, width, height, spanFiller(map, width, height));
  return map;
}

/** A sink that sets the spans' pixels of a width x height map to 1. */
export function spanFiller(map: Uint8Array, width: number, height: number): SpanSink {
  return (y, x0, x1) => {
    if (y < 0 || y >= height) return;
    const from = Math.max(0, x0);
    const to = Math.min(width - 1, x1);
    if (from <= to) map.fill(1, y * width + from, y * width + to + 1);
  };
}
