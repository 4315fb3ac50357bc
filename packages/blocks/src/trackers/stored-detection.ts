/**
 * One detection kept in a video's state between frames, as plain JSON (video-state.ts): every
 * column of the row, its data values as they are (JSON already: the wire format's values), and its
 * mask, whose bytes are a typed array, as base64 of the mask's window (one byte per pixel, 0 or 1).
 */
import { Detections, type BitMask, type ImageSize, type Keypoint } from "@cvflow/engine";
import type { Box } from "./tracker-family.js";

interface StoredMask {
  width: number;
  height: number;
  left: number;
  top: number;
  columns: number;
  rows: number;
  /** The window's bytes, row by row, base64. */
  bytes: string;
}

export interface StoredDetection {
  box: Box;
  confidence: number;
  classId: number;
  className: string;
  detectionId: string;
  parentId: string | null;
  data: Record<string, unknown>;
  /** Absent when the detections had no keypoints column; null when this row had none. */
  keypoints?: Keypoint[] | null;
  /** Absent when the detections had no masks column; null when this row had none. */
  mask?: StoredMask | null;
}

export function storeDetection(d: Detections, i: number): StoredDetection {
  const row: StoredDetection = {
    box: d.box(i),
    confidence: d.confidence[i]!,
    classId: d.classId[i]!,
    className: d.className[i]!,
    detectionId: d.detectionId[i]!,
    parentId: d.parentId[i] ?? null,
    data: Object.fromEntries(Object.entries(d.data).map(([key, column]) => [key, column[i]])),
  };
  if (d.keypoints) row.keypoints = d.keypoints[i] ?? null;
  if (d.masks) row.mask = storeMask(d.masks[i] ?? null);
  return row;
}

/** A one-detection Detections of a stored row, on `image`. */
export function restoreDetection(row: StoredDetection, image: ImageSize): Detections {
  return new Detections({
    image,
    xyxy: row.box,
    confidence: [row.confidence],
    classId: [row.classId],
    className: [row.className],
    detectionId: [row.detectionId],
    parentId: [row.parentId],
    keypoints: row.keypoints === undefined ? undefined : [row.keypoints],
    masks: row.mask === undefined ? undefined : [restoreMask(row.mask)],
    data: Object.fromEntries(Object.entries(row.data).map(([key, value]) => [key, [value]])),
  });
}

function storeMask(mask: BitMask | null): StoredMask | null {
  if (!mask) return null;
  const { width, height, left, top, columns, rows, data } = mask;
  return { width, height, left, top, columns, rows, bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64") };
}

function restoreMask(mask: StoredMask | null): BitMask | null {
  if (!mask) return null;
  const { bytes, ...window } = mask;
  return { ...window, data: new Uint8Array(Buffer.from(bytes, "base64")) };
}
