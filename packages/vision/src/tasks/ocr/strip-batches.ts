/**
 * How text strips are grouped into model runs: the direction classifier takes them in order, the
 * recogniser by width, so that little of a batch is padding.
 */
import type { RawPixels } from "../../images/workflow-image.js";
import { stripWidth } from "./strip-input.js";

/** Strips per model run (PaddleOCR's cls and rec batch size). */
const BATCH_SIZE = 6;
/** Recogniser batches are at least this wide (PaddleOCR's rec_image_shape 3×48×320). */
const MIN_REC_WIDTH = 320;
/**
 * And at most this wide (some 160 characters): the output grows by 6625 floats per 8 pixels of
 * width, so an absurdly long strip would cost hundreds of megabytes. Longer strips are squeezed.
 */
const MAX_REC_WIDTH = 1920;

/** The direction classifier's batches: consecutive strips. */
export function directionBatches(strips: readonly RawPixels[]): RawPixels[][] {
  const batches: RawPixels[][] = [];
  for (let start = 0; start < strips.length; start += BATCH_SIZE) batches.push(strips.slice(start, start + BATCH_SIZE));
  return batches;
}

/** A recogniser batch: the indices of its strips and the width they are padded (or squeezed) to. */
export interface RecognitionBatch {
  members: number[];
  width: number;
}

/** The recogniser's batches: strips sorted by width, each batch as wide as its widest (within limits). */
export function recognitionBatches(strips: readonly RawPixels[]): RecognitionBatch[] {
  const widths = strips.map(stripWidth);
  const order = strips.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const batches: RecognitionBatch[] = [];
  for (let start = 0; start < order.length; start += BATCH_SIZE) {
    const members = order.slice(start, start + BATCH_SIZE);
    batches.push({ members, width: Math.min(MAX_REC_WIDTH, Math.max(MIN_REC_WIDTH, ...members.map((i) => widths[i]!))) });
  }
  return batches;
}
