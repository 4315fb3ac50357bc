/**
 * WorkflowImage -> the grammar's wire form, as Roboflow's `serialise_image` writes it: a base64
 * JPEG, its video frame (`video_metadata`), and for a crop (an image whose parent is not the root) where it sits in its parent and
 * in the input image. An input JPEG whose pixels are unchanged is sent back as it came.
 */
import type { ValueSerializer } from "@cvflow/engine";
import { detectImageFormat } from "./image-format.js";
import type { VideoMetadata } from "./video-metadata.js";
import { WorkflowImage, type ImageOrigin } from "./workflow-image.js";

/** Roboflow encodes with OpenCV at quality 95. */
export const DEFAULT_JPEG_QUALITY = 95;

export interface ImageSerializerOptions {
  /** 1-100; default 95. */
  jpegQuality?: number;
}

export interface SerializedImage {
  type: "base64";
  value: string;
  /** The frame the image is, or what a photo answers for one (video-metadata.ts), as Roboflow always sends it. */
  video_metadata: VideoMetadata;
  parent_id?: string;
  parent_origin?: ImageOrigin;
  root_parent_id?: string;
  root_parent_origin?: ImageOrigin;
}

export function createImageSerializer(options: ImageSerializerOptions = {}): ValueSerializer {
  const quality = options.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new RangeError(`jpegQuality must be an integer from 1 to 100, got ${quality}`);
  return (value) => (value instanceof WorkflowImage ? serializeImage(value, { jpegQuality: quality }) : undefined);
}

export async function serializeImage(image: WorkflowImage, options: ImageSerializerOptions = {}): Promise<SerializedImage> {
  const { source, lineage } = image;
  const jpeg = source && detectImageFormat(source) === "jpeg" ? source : await image.encode("jpeg", options.jpegQuality ?? DEFAULT_JPEG_QUALITY);
  const wire: SerializedImage = { type: "base64", value: jpeg.toString("base64"), video_metadata: image.videoMetadata };
  if (lineage.parentId !== lineage.rootParentId) {
    // A missing origin means "all of it", as Roboflow fills one in from the image's own size.
    const whole: ImageOrigin = { offset_x: 0, offset_y: 0, width: image.width, height: image.height };
    wire.parent_id = lineage.parentId;
    wire.parent_origin = lineage.parentOrigin ?? whole;
    wire.root_parent_id = lineage.rootParentId;
    wire.root_parent_origin = lineage.rootOrigin ?? whole;
  }
  return wire;
}
