/**
 * YOLOv8-seg masks: per detection, sigmoid(coefficients · prototypes) on the prototype grid,
 * upsampled bilinearly to the image inside the detection's box only, thresholded at 0.5; and the
 * polygon of the mask's largest outer contour. Only the prototype cells under the box are
 * computed, and the mask is stored for the box only (its window: the pixels whose centre lies in
 * the box), so that it costs the box's pixels rather than the image's.
 */
import type { BitMask } from "@cvflow/engine";
import { emptyMask, type PixelRect } from "../masks/bit-masks.js";
import { largestOuterContour } from "./contour.js";
import type { InputTransform } from "./preprocess.js";

export interface Prototypes {
  /** [channels, height, width] */
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

export interface InstanceMask {
  mask: BitMask;
  polygon: [number, number][];
}

/** The pixels whose centre lies in `box` (x1, y1, x2, y2), cut to the image: a mask's window. */
export function boxPixels(box: ArrayLike<number>, image: { width: number; height: number }): PixelRect {
  return {
    left: Math.max(0, Math.ceil(box[0]! - 0.5)),
    top: Math.max(0, Math.ceil(box[1]! - 0.5)),
    right: Math.min(image.width, Math.floor(box[2]! - 0.5) + 1),
    bottom: Math.min(image.height, Math.floor(box[3]! - 0.5) + 1),
  };
}

/**
 * The mask of one detection, charged to the run's image budget. `box` is x1, y1, x2, y2 in image
 * pixels; `input` is the network input size the prototypes cover.
 */
export function instanceMask(
  coefficients: Float32Array,
  protos: Prototypes,
  box: ArrayLike<number>,
  transform: InputTransform,
  image: { width: number; height: number },
  input: { width: number; height: number },
): InstanceMask {
  const mask = emptyMask(image, boxPixels(box, image));
  if (mask.columns === 0 || mask.rows === 0) return { mask, polygon: [] };

  // Image pixel centre → prototype grid coordinate (cell centres at integers, as align_corners=false).
  const columns = samples(mask.left, mask.left + mask.columns, (x) => ((x + 0.5) * transform.scaleX + transform.offsetX) * (protos.width / input.width) - 0.5, protos.width);
  const rows = samples(mask.top, mask.top + mask.rows, (y) => ((y + 0.5) * transform.scaleY + transform.offsetY) * (protos.height / input.height) - 0.5, protos.height);
  const grid = probabilities(coefficients, protos, columns.first, columns.last, rows.first, rows.last);
  const gridWidth = columns.last - columns.first + 1;

  for (let r = 0; r < rows.count; r++) {
    const top = (rows.low[r]! - rows.first) * gridWidth;
    const bottom = (rows.high[r]! - rows.first) * gridWidth;
    const wy = rows.weight[r]!;
    const line = r * mask.columns;
    for (let c = 0; c < columns.count; c++) {
      const left = columns.low[c]! - columns.first;
      const right = columns.high[c]! - columns.first;
      const wx = columns.weight[c]!;
      const upper = grid[top + left]! + (grid[top + right]! - grid[top + left]!) * wx;
      const lower = grid[bottom + left]! + (grid[bottom + right]! - grid[bottom + left]!) * wx;
      if (upper + (lower - upper) * wy > 0.5) mask.data[line + c] = 1;
    }
  }
  return { mask, polygon: largestOuterContour(mask) };
}

/** Bilinear sampling positions along one axis: the two grid cells and the weight of the second. */
function samples(from: number, to: number, toGrid: (pixel: number) => number, size: number) {
  const count = to - from;
  const low = new Int32Array(count);
  const high = new Int32Array(count);
  const weight = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const at = Math.min(Math.max(toGrid(from + i), 0), size - 1);
    low[i] = Math.floor(at);
    high[i] = Math.min(low[i]! + 1, size - 1);
    weight[i] = at - low[i]!;
  }
  return { count, low, high, weight, first: low[0]!, last: high[count - 1]! };
}

/** sigmoid(coefficients · prototypes) over grid columns [x0, x1] × rows [y0, y1]. */
function probabilities(coefficients: Float32Array, protos: Prototypes, x0: number, x1: number, y0: number, y1: number): Float32Array {
  const gridWidth = x1 - x0 + 1;
  const grid = new Float32Array(gridWidth * (y1 - y0 + 1));
  const plane = protos.width * protos.height;
  for (let k = 0; k < protos.channels; k++) {
    const coefficient = coefficients[k]!;
    for (let y = y0; y <= y1; y++) {
      const from = k * plane + y * protos.width;
      const to = (y - y0) * gridWidth - x0;
      for (let x = x0; x <= x1; x++) grid[to + x] = grid[to + x]! + coefficient * protos.data[from + x]!;
    }
  }
  for (let i = 0; i < grid.length; i++) grid[i] = 1 / (1 + Math.exp(-grid[i]!));
  return grid;
}
