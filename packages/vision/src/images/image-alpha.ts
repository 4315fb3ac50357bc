/**
 * The alpha channel an image's encoded bytes carry, which decoding drops (images are RGB here, as
 * OpenCV's IMREAD_COLOR reads them). Roboflow's Icon Visualization reads its icon's source again
 * with IMREAD_UNCHANGED to keep transparency; this is that second reading.
 */
import sharp from "sharp";
import type { WorkflowImage } from "./workflow-image.js";

/** One byte of opacity per pixel, from the image's source bytes; null when it has none (or no source). */
export async function imageAlpha(image: WorkflowImage): Promise<Uint8Array | null> {
  const source = image.source;
  if (!source) return null;
  try {
    const reader = () => sharp(source, { failOn: "error", limitInputPixels: image.width * image.height });
    const { hasAlpha } = await reader().metadata();
    if (!hasAlpha) return null;
    const { data, info } = await reader().extractChannel("alpha").raw().toBuffer({ resolveWithObject: true });
    return info.width === image.width && info.height === image.height ? new Uint8Array(data.buffer, data.byteOffset, data.length) : null;
  } catch {
    // The pixels were decoded from these bytes already; a second reading that fails only loses the transparency.
    return null;
  }
}
