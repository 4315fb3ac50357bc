/**
 * The outer boundary of the largest 8-connected blob of a binary mask, as polygon points — what
 * OpenCV's findContours (RETR_EXTERNAL, CHAIN_APPROX_SIMPLE) gives for it: border following after
 * Suzuki & Abe (1985), with straight runs reduced to their end points.
 */
import type { BitMask } from "@cvflow/engine";

// Neighbour offsets, clockwise on screen (y down), starting east.
const DX = [1, 1, 0, -1, -1, -1, 0, 1];
const DY = [0, 1, 1, 1, 0, -1, -1, -1];
const WEST = 4;

/** In image coordinates; only the mask's window is looked at (nothing is set outside it). */
export function largestOuterContour(mask: BitMask): [number, number][] {
  // A one-pixel zero border around the window spares bounds checks.
  const width = mask.columns + 2;
  const height = mask.rows + 2;
  if (width <= 2 || height <= 2) return [];
  const labels = new Int32Array(width * height);
  for (let row = 0; row < mask.rows; row++) {
    for (let column = 0; column < mask.columns; column++) {
      if (mask.data[row * mask.columns + column]) labels[(row + 1) * width + column + 1] = -1;
    }
  }
  const { seed, label } = largestBlob(labels, width);
  if (seed < 0) return [];
  const offset = (index: number): [number, number] => [(index % width) - 1 + mask.left, Math.floor(index / width) - 1 + mask.top];
  return simplify(traceBorder(labels, width, seed, label).map(offset));
}

/** Labels the blobs (in place, from 1) and returns the largest one's label and its first pixel in raster order. */
function largestBlob(labels: Int32Array, width: number): { seed: number; label: number } {
  let best = { seed: -1, label: 0, size: 0 };
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] !== -1) continue;
    const label = ++next;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const at = stack.pop()!;
      size++;
      for (let d = 0; d < 8; d++) {
        const near = at + DY[d]! * width + DX[d]!;
        if (labels[near] === -1) {
          labels[near] = label;
          stack.push(near);
        }
      }
    }
    if (size > best.size) best = { seed: start, label, size };
  }
  return best;
}

/** The border pixels of blob `label`, followed from `seed` (whose west neighbour is background). */
function traceBorder(labels: Int32Array, width: number, seed: number, label: number): number[] {
  const step = (from: number, direction: number): number => from + DY[direction]! * width + DX[direction]!;
  const inBlob = (index: number): boolean => labels[index] === label;
  let first = -1;
  let firstDirection = 0;
  for (let k = 1; k < 8 && first < 0; k++) {
    const direction = (WEST + k) % 8;
    if (inBlob(step(seed, direction))) {
      first = step(seed, direction);
      firstDirection = direction;
    }
  }
  if (first < 0) return [seed];
  const border: number[] = [];
  let previousDirection = firstDirection; // from the current pixel to the previous one
  let current = seed;
  for (;;) {
    border.push(current);
    // Counter-clockwise from the pixel after the previous one.
    let found = -1;
    let direction = previousDirection;
    for (let k = 0; k < 8; k++) {
      direction = (direction + 7) % 8;
      if (inBlob(step(current, direction))) {
        found = step(current, direction);
        break;
      }
    }
    if (found === seed && current === first) return border;
    previousDirection = (direction + 4) % 8;
    current = found;
  }
}

/** Drops the points in the middle of straight runs. */
function simplify(points: [number, number][]): [number, number][] {
  if (points.length < 3) return points;
  return points.filter((point, i) => {
    const before = points[(i + points.length - 1) % points.length]!;
    const after = points[(i + 1) % points.length]!;
    return point[0] - before[0] !== after[0] - point[0] || point[1] - before[1] !== after[1] - point[1];
  });
}
