/**
 * Pixels into one image slot of an NCHW float tensor: (v / 255 − mean) / std per channel.
 * PaddleOCR's models were trained on OpenCV images, so the planes are B, G, R, and mean/std are
 * given in that order too. A grey image fills all three planes. The slot may be wider or taller
 * than the pixels: the rest stays as it is (zero padding in a fresh tensor).
 */
import type { RawPixels } from "../../images/workflow-image.js";

export type ChannelTriple = readonly [number, number, number];

export function writePlanes(
  target: Float32Array,
  slot: number,
  slotWidth: number,
  slotHeight: number,
  pixels: RawPixels,
  mean: ChannelTriple,
  std: ChannelTriple,
): void {
  const plane = slotWidth * slotHeight;
  const base = slot * 3 * plane;
  const { data, width, channels } = pixels;
  const rows = Math.min(pixels.height, slotHeight);
  const columns = Math.min(width, slotWidth);
  // source channel for planes B, G, R
  const sourceChannel = channels === 3 ? [2, 1, 0] : [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * std[c]!);
    const shift = mean[c]! / std[c]!;
    const source = sourceChannel[c]!;
    const out = base + c * plane;
    for (let y = 0; y < rows; y++) {
      let from = y * width * channels + source;
      const to = out + y * slotWidth;
      for (let x = 0; x < columns; x++, from += channels) target[to + x] = data[from]! * scale - shift;
    }
  }
}
