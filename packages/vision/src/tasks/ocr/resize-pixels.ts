import sharp from "sharp";
import type { Channels, RawPixels } from "../../images/workflow-image.js";

/** Pixels stretched to width × height (sharp, the same channels). */
export async function resizePixels(pixels: RawPixels, width: number, height: number): Promise<RawPixels> {
  if (pixels.width === width && pixels.height === height) return pixels;
  const { data, info } = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
    .resize(width, height, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as Channels };
}
