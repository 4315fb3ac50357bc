/**
 * Encoded bytes -> WorkflowImage, the way Roboflow's inference reads them with OpenCV's
 * `cv2.imdecode(..., IMREAD_COLOR)`: EXIF orientation applied, alpha dropped (not composited),
 * grayscale expanded, always 8-bit RGB with 3 channels. The header is read first, so an image
 * with too many pixels is refused before any pixel memory is allocated.
 */
import sharp from "sharp";
import { WorkflowError } from "@cvflow/engine";
import { imageTooLarge, invalidImage } from "./image-errors.js";
import { detectImageFormat, nameUnsupportedFormat, SUPPORTED_FORMATS } from "./image-format.js";
import { WorkflowImage, type ImageLineage } from "./workflow-image.js";

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 40_000_000;

export interface DecodeImageOptions {
  /** Largest encoded size accepted, in bytes; default 20 MiB. */
  maxBytes?: number;
  /** Largest width x height accepted; default 40 megapixels. */
  maxPixels?: number;
}

export async function decodeImage(bytes: Uint8Array, lineage: ImageLineage, options: DecodeImageOptions = {}): Promise<WorkflowImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length === 0) throw invalidImage("The image is empty (0 bytes)");
  if (bytes.length > maxBytes) throw imageTooLarge(bytes.length, maxBytes);
  const format = detectImageFormat(bytes);
  if (!format) {
    const named = nameUnsupportedFormat(bytes);
    throw new WorkflowError(
      "unsupported_image_format",
      `The data is not a JPEG, PNG, WebP, GIF or TIFF image${named ? ` (it looks like ${named})` : ""}`,
      400,
      { supported: SUPPORTED_FORMATS, ...(named ? { detected: named } : {}) },
    );
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The header and the pixels are read at once (both run on libuv's pool): waiting for the header
  // first cost a round trip per image. The decode is safe to start before the size is checked:
  // sharp refuses an image over limitInputPixels from its header, before allocating any pixels.
  // failOn "error": truncated or broken data is refused; mere warnings (stray bytes between
  // JPEG markers, common in camera files) are tolerated, as OpenCV tolerates them.
  const decoded = sharp(input, { failOn: "error", limitInputPixels: maxPixels })
    .rotate()
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  decoded.catch(() => {}); // its failure is reported below, unless the header's comes first
  const header = await readHeader(input, format);
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    throw new WorkflowError(
      "image_too_many_pixels",
      `The image is ${header.width}x${header.height} (${(pixels / 1e6).toFixed(1)} megapixels), over the ${(maxPixels / 1e6).toFixed(1)} megapixel limit`,
      413,
      { width: header.width, height: header.height, maxPixels },
    );
  }
  try {
    const { data, info } = await decoded;
    // An oriented image's pixels are no longer the stored ones: the source bytes would disagree.
    const unchanged = header.orientation === 1;
    return new WorkflowImage({ data, width: info.width, height: info.height, channels: 3 }, lineage, unchanged ? input : undefined);
  } catch (error) {
    throw invalidImage(`The ${format.toUpperCase()} data could not be decoded (${reason(error)})`, { format, bytes: input.length });
  }
}

async function readHeader(input: Buffer, format: string): Promise<{ width: number; height: number; orientation: number }> {
  try {
    // No pixel limit here: the caller checks its own, to give it its own error.
    const { width, height, orientation } = await sharp(input, { limitInputPixels: false }).metadata();
    if (width && height) return { width, height, orientation: orientation ?? 1 };
    throw new Error("no dimensions in the header");
  } catch (error) {
    throw invalidImage(`The ${format.toUpperCase()} header could not be read (${reason(error)})`, { format });
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
