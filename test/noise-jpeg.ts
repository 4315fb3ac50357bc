/**
 * A JPEG of noise, 1600x1200 at quality 90: about 1.7 MB, which does not compress. Four copies of
 * it in base64 pass a 6 MB response; one fits in a request.
 */
import sharp from "sharp";

export async function noiseJpeg(): Promise<Buffer> {
  const width = 1600;
  const height = 1200;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < pixels.length; i++) pixels[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}
