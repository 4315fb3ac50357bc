/** Detection boxes as the integer pixel corners supervision draws them with. */
import type { Detections } from "@cvflow/engine";

export type PixelBox = [number, number, number, number];

/** The box's corners cast to int (truncated toward zero, as numpy's astype(int)). */
export function pixelBox(detections: Detections, i: number): PixelBox {
  const [x1, y1, x2, y2] = detections.box(i);
  return [Math.trunc(x1), Math.trunc(y1), Math.trunc(x2), Math.trunc(y2)];
}

/** sv.clip_boxes then astype(int): x within 0..width, y within 0..height; x2, y2 exclusive. */
export function clippedBox(detections: Detections, i: number, width: number, height: number): PixelBox {
  const [x1, y1, x2, y2] = detections.box(i);
  const clip = (v: number, max: number): number => Math.trunc(Math.min(Math.max(v, 0), max));
  return [clip(x1, width), clip(y1, height), clip(x2, width), clip(y2, height)];
}

/** Python's slice [start:stop] of a length-`size` axis: negative ends count from the end; [from, to). */
export function sliceBounds(start: number, stop: number, size: number): [number, number] {
  const at = (v: number): number => Math.min(size, v < 0 ? Math.max(0, v + size) : v);
  return [at(start), at(stop)];
}
