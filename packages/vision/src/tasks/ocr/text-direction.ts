/** The direction classifier (PP-OCR cls): per strip, probabilities of [upright, upside down]. */

/** Its input width; strips are 48 high. */
export const DIRECTION_INPUT_WIDTH = 192;
/** Only a confident "upside down" turns a strip (PaddleOCR's cls_thresh). */
const UPSIDE_DOWN_THRESHOLD = 0.9;

export function isUpsideDown(probabilities: Float32Array, index: number): boolean {
  const upright = probabilities[index * 2]!;
  const upsideDown = probabilities[index * 2 + 1]!;
  return upsideDown > upright && upsideDown > UPSIDE_DOWN_THRESHOLD;
}
