/**
 * Predictions carry the lineage of the image they were made on, as the wire format does:
 * `parent_id` is the image's id; for an image cut from another (a crop, a slice) each detection
 * also carries `parent_origin`, `root_parent_id` and `root_parent_origin`, which is what lets
 * the output be given in the input image's coordinates (`coordinates_system: parent`) and lets
 * stitching place slice predictions back.
 */
import { Detections, type DetectionsInit } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";

export type DetectionColumns = Omit<DetectionsInit, "image" | "parentId">;

export function detectionsOnImage(columns: DetectionColumns, image: WorkflowImage): Detections {
  const n = columns.className.length;
  const { parentId, parentOrigin, rootParentId, rootOrigin } = image.lineage;
  const data: Record<string, readonly unknown[]> = { ...(columns.data ?? {}) };
  if (parentOrigin && rootOrigin) {
    data["parent_origin"] = new Array(n).fill(parentOrigin);
    data["root_parent_id"] = new Array(n).fill(rootParentId);
    data["root_parent_origin"] = new Array(n).fill(rootOrigin);
  }
  return new Detections({ ...columns, image: { width: image.width, height: image.height }, parentId: new Array(n).fill(parentId), data });
}

/** The lineage columns detections made on a crop carry (detectionsOnImage sets them). */
export const CROP_LINEAGE_KEYS: readonly string[] = ["parent_origin", "root_parent_id", "root_parent_origin"];

/**
 * `d` (already in the coordinates of `reference`'s image) given the lineage of the image
 * `reference`'s detections were made on: its parent id and, when that image is a crop, its crop
 * lineage columns. `reference` must hold at least one detection.
 */
export function onImageOf(d: Detections, reference: Detections): Detections {
  const data: Record<string, readonly unknown[]> = Object.fromEntries(Object.entries(d.data).filter(([key]) => !CROP_LINEAGE_KEYS.includes(key)));
  for (const key of CROP_LINEAGE_KEYS) {
    const value = reference.data[key]?.[0];
    if (value !== undefined && value !== null) data[key] = new Array(d.length).fill(value);
  }
  return d.with({ image: reference.image, parentId: new Array(d.length).fill(reference.parentId[0] ?? null), data });
}
