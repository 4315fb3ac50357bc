/**
 * Encoded bytes -> WorkflowImage, the way Roboflow's inference reads them with OpenCV's
 * `cv2.imdecode(..., IMREAD_COLOR)`: EXIF orientation applied, alpha dropped (not composited),
 * grayscale expanded, always 8-bit RGB with 3 channels. The header is read first, so an image
 * with too many pixels (or a run over its budget) is refused before any pixel memory is allocated.
 */
import sharp from "sharp";
import { imageTooLarge } from "@cvflow/engine";
import { atPointer, imageTooManyPixels, invalidImage, unsupportedImageFormat } from "../errors.js";
import { DEFAULT_MAX_PIXELS } from "./image-limits.js";
import { detectImageFormat, nameUnsupportedFormat, SUPPORTED_FORMATS } from "./image-format.js";
import { WorkflowImage, type ImageLineage, type PixelDecoder } from "./workflow-image.js";

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export interface DecodeImageOptions {
  /** Largest encoded size accepted, in bytes; default 20 MiB. */
  maxBytes?: number;
  /** Largest width x height accepted; default 40 megapixels. */
  maxPixels?: number;
}

/**
 * The image's header read and checked, its pixels not decoded: they are decoded on first need,
 * in full or straight to the size a model needs (WorkflowImage). `pointer` names the input in a
 * decoding failure's error.
 */
export async function openImage(bytes: Uint8Array, lineage: ImageLineage, options: DecodeImageOptions = {}, pointer?: string): Promise<WorkflowImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length === 0) throw invalidImage("The image is empty (0 bytes)");
  if (bytes.length > maxBytes) throw imageTooLarge(bytes.length, maxBytes);
  const format = detectImageFormat(bytes);
  if (!format) {
    const named = nameUnsupportedFormat(bytes);
    throw unsupportedImageFormat(SUPPORTED_FORMATS, named);
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = await readHeader(input, format);
  const pixels = header.width * header.height;
  if (pixels > maxPixels) throw imageTooManyPixels(header.width, header.height, maxPixels);
  // EXIF orientations 5 to 8 turn the image a quarter: its decoded width is the stored height.
  const turned = header.orientation >= 5;
  const size = { width: turned ? header.height : header.width, height: turned ? header.width : header.height, channels: 3 as const };
  const decode: PixelDecoder = async (resize) => {
    // failOn "error": truncated or broken data is refused; mere warnings (stray bytes between
    // JPEG markers, common in camera files) are tolerated, as OpenCV tolerates them.
    let pipeline = sharp(input, { failOn: "error", limitInputPixels: maxPixels }).rotate().removeAlpha().toColourspace("srgb");
    // Resizing in the decoding pipeline lets libvips decode a JPEG or WebP at 1/2, 1/4 or 1/8 scale.
    if (resize) pipeline = pipeline.resize(resize.width, resize.height, { fit: "fill", kernel: "linear" });
    if (resize?.crop) pipeline = pipeline.extract(resize.crop);
    try {
      const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 3 };
    } catch (error) {
      const failure = invalidImage(`The ${format.toUpperCase()} data could not be decoded (${reason(error)})`, { format, bytes: input.length });
      throw pointer === undefined ? failure : atPointer(failure, pointer);
    }
  };
  // An oriented image's pixels are no longer the stored ones: the source bytes would disagree.
  return new WorkflowImage({ ...size, decode }, lineage, header.orientation === 1 ? input : undefined);
}

/** openImage, then every pixel decoded. */
export async function decodeImage(bytes: Uint8Array, lineage: ImageLineage, options: DecodeImageOptions = {}): Promise<WorkflowImage> {
  const image = await openImage(bytes, lineage, options);
  await image.load();
  return image;
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
