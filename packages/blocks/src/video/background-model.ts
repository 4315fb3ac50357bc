/**
 * A per-pixel background model for motion: each pixel's colour is a running Gaussian (mean per
 * channel, one variance), updated with OpenCV MOG2's rules and defaults — learning rate
 * 1 / min(2·frames, history), initial variance 15 clamped to [4, 75], a pixel is foreground when
 * its squared colour distance exceeds `threshold` (varThreshold) times the variance. One Gaussian
 * instead of MOG2's mixture, and no shadow labelling: the mask is 0 or 255.
 *
 * The model is the block's video state, so it is plain JSON data: number arrays (a 768x576 frame
 * holds 1.8 M numbers; the store serialises them only when a video job hands it on, not per frame).
 */
import type { RawPixels } from "@cvflow/vision";

const VAR_INIT = 15;
const VAR_MIN = 4;
const VAR_MAX = 5 * VAR_INIT;

export interface BackgroundModel {
  width: number;
  height: number;
  channels: number;
  frames: number;
  /** `channels` means per pixel, row-major. */
  mean: number[];
  /** One variance per pixel. */
  variance: number[];
}

export function emptyBackground(): BackgroundModel {
  return { width: 0, height: 0, channels: 0, frames: 0, mean: [], variance: [] };
}

/** Takes a frame into the model and returns its foreground mask (one channel, 0 or 255). A frame of another size starts the model again. */
export function applyBackground(model: BackgroundModel, pixels: RawPixels, threshold: number, history: number): Uint8Array {
  const { width, height, channels, data } = pixels;
  const count = width * height;
  const mask = new Uint8Array(count);
  if (model.width !== width || model.height !== height || model.channels !== channels || model.frames === 0) {
    Object.assign(model, { width, height, channels, frames: 1, mean: Array.from(data), variance: new Array<number>(count).fill(VAR_INIT) });
    return mask;
  }
  model.frames += 1;
  const rate = 1 / Math.min(2 * model.frames, history);
  const { mean, variance } = model;
  for (let p = 0; p < count; p++) {
    let dist2 = 0;
    for (let c = 0; c < channels; c++) {
      const d = data[p * channels + c]! - mean[p * channels + c]!;
      dist2 += d * d;
    }
    if (dist2 > threshold * variance[p]!) mask[p] = 255;
    for (let c = 0; c < channels; c++) mean[p * channels + c]! += rate * (data[p * channels + c]! - mean[p * channels + c]!);
    variance[p] = Math.min(VAR_MAX, Math.max(VAR_MIN, variance[p]! + rate * (dist2 - variance[p]!)));
  }
  return mask;
}
