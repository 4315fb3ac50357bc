/**
 * An image as a hosted model receives it: base64 of a JPEG (quality 90, as Roboflow's
 * encode_image_to_jpeg_bytes writes) or a lossless PNG, shrunk first when `maxSide` is given and
 * the image's long edge is larger (Lanczos, as Roboflow's cv2.INTER_LANCZOS4; never enlarged; the
 * size is openAiUploadSize's arithmetic, which vlm_as_detector uses to map pixel boxes back).
 */
import type { WorkflowImage } from "@cvflow/vision";
import { openAiUploadSize } from "../../../formatters/vlm-detection-parsers.js";

export interface EncodedImage {
  base64: string;
  mediaType: "image/jpeg" | "image/png";
  /** The size of the image sent. */
  width: number;
  height: number;
}

export interface EncodeOptions {
  format: "jpeg" | "png";
  /** The longest edge sent, in pixels; the image as it is when unset. */
  maxSide?: number;
}

export const LLM_JPEG_QUALITY = 90;

export async function encodeImage(image: WorkflowImage, { format, maxSide }: EncodeOptions): Promise<EncodedImage> {
  const [width, height] = maxSide === undefined ? [image.width, image.height] : openAiUploadSize(image.width, image.height, maxSide);
  let bytes: Buffer;
  if (width === image.width && height === image.height) {
    bytes = await image.encode(format, LLM_JPEG_QUALITY);
  } else {
    await image.load();
    const resized = image.toSharp().resize(width, height, { fit: "fill", kernel: "lanczos3" });
    bytes = await (format === "png" ? resized.png() : resized.jpeg({ quality: LLM_JPEG_QUALITY, optimiseCoding: false })).toBuffer();
  }
  return { base64: bytes.toString("base64"), mediaType: format === "png" ? "image/png" : "image/jpeg", width, height };
}

/** The image as a `data:` URL (OpenAI's image_url). */
export function dataUrl(image: EncodedImage): string {
  return `data:${image.mediaType};base64,${image.base64}`;
}
