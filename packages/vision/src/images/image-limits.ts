/**
 * How many pixels images may have: one image, and all the images one run makes. Both are
 * options of the image loader (`maxPixels`, `maxRunPixels`); these are their defaults.
 */

/** One image: 40 megapixels (120 MB of RGB pixels), an input's or one a step makes. */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/**
 * One run: 200 megapixels, 600 MB of RGB pixels, counting every image it makes (its inputs
 * included) and never giving back what it drops. With the server's own ~0.3 GB and the encoding
 * of its outputs, the worst runs that pass peaked at 1.32 GB (`npm run bench -- memory`: a
 * 39.7-megapixel JPEG cut into 158 one-megapixel crops, each classified, every crop an output)
 * and 1.06 GB (a detection and 4 drawings on copies of it), under half the API Lambda's 3,008 MB.
 */
export const DEFAULT_MAX_RUN_PIXELS = 200_000_000;

/** Pixels as megapixels with one decimal, as errors report them. */
export function megapixels(pixels: number): number {
  return Math.round(pixels / 1e5) / 10;
}
