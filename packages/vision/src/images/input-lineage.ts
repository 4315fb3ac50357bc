/**
 * The lineage an input image starts with, as Roboflow's execution engine gives it
 * (runtime_input_assembler.py, deserializers.py): the image is named after its input, with its
 * batch index when it came in a list — "image" for a single value, "image.[0]" for the first of
 * a list, "image.[0].[1]" inside a nested batch. A wire-form image may carry the lineage of an
 * earlier run (`parent_id`, `parent_origin`, `root_parent_id`, `root_parent_origin`, as the
 * image serializer writes them for crops); that is kept, so crops sent back stay placed.
 */
import { invalidImageInput } from "../errors.js";
import { readVideoMetadata } from "./video-metadata.js";
import type { ImageLineage, ImageOrigin } from "./workflow-image.js";

/** "/inputs/image/0" -> "image.[0]" (the engine's naming of input values). */
export { inputElementId as inputImageId } from "@cvflow/engine";

/** The lineage of a wire-form image `{"type", "value", ...}` named `id`, keeping any it carries, and its video frame. */
export function wireLineage(wire: Readonly<Record<string, unknown>>, id: string): ImageLineage {
  const parentId = optionalId(wire, "parent_id") ?? id;
  const parentOrigin = optionalOrigin(wire, "parent_origin");
  const rootParentId = optionalId(wire, "root_parent_id");
  const frame = wire["video_metadata"] === undefined || wire["video_metadata"] === null ? {} : { videoMetadata: readVideoMetadata(wire["video_metadata"]) };
  // Without a root, Roboflow takes the parent as the root (WorkflowImageData's constructor).
  if (rootParentId === undefined) return { parentId, parentOrigin, rootParentId: parentId, rootOrigin: parentOrigin, ...frame };
  return { parentId, parentOrigin, rootParentId, rootOrigin: optionalOrigin(wire, "root_parent_origin"), ...frame };
}

function optionalId(wire: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = wire[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalidImageInput(`"${key}" must be a string`, { field: key });
  return value;
}

function optionalOrigin(wire: Readonly<Record<string, unknown>>, key: string): ImageOrigin | null {
  const value = wire[key];
  if (value === undefined || value === null) return null;
  const origin = value as Record<string, unknown>;
  const fields = ["offset_x", "offset_y", "width", "height"] as const;
  if (typeof value !== "object" || !fields.every((f) => Number.isInteger(origin[f]))) {
    throw invalidImageInput(`"${key}" must be {"offset_x", "offset_y", "width", "height"} with integer values`, { field: key });
  }
  return { offset_x: origin["offset_x"] as number, offset_y: origin["offset_y"] as number, width: origin["width"] as number, height: origin["height"] as number };
}
