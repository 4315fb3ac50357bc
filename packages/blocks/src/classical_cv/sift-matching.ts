/**
 * Matching descriptors by Euclidean distance with Lowe's ratio test, as Roboflow's SIFT blocks do
 * with OpenCV's matchers (knnMatch, k = 2, keep the best when best < ratio * second best).
 *
 * The search is exact (OpenCV's BFMatcher with NORM_L2). Roboflow's default, FlannBasedMatcher
 * (5 randomised kd-trees, 50 checks), is approximate: it can miss a true nearest neighbour, so its
 * count can be lower than this one's; on Roboflow's own unit-test pair (dogs.jpg and its 180°
 * rotation) both give 443. The cost is rows1 x rows2 x 128 multiply-adds (a 12 MP photo's tens of
 * thousands of keypoints against as many: minutes — downscale first).
 */
import { invalidField } from "../errors.js";

/** Descriptors as rows of equal length, stored flat. */
export interface DescriptorRows {
  rows: number;
  width: number;
  data: Float32Array;
}

export interface DescriptorMatch {
  queryIdx: number;
  trainIdx: number;
  distance: number;
}

/** Rows of descriptors from a step's or input's value (a list of equal-length numeric lists), or null for none. */
export function descriptorRows(value: unknown, field: string): DescriptorRows | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) throw invalidField(`${field} must be a list of descriptors (lists of numbers); got ${typeof value}`);
  if (value.length === 0) return { rows: 0, width: 0, data: new Float32Array(0) };
  const width = Array.isArray(value[0]) ? (value[0] as unknown[]).length : -1;
  const data = new Float32Array(value.length * Math.max(width, 0));
  value.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== width || !row.every((v) => typeof v === "number")) {
      throw invalidField(`${field}[${i}] must be a list of ${width} numbers, as every descriptor in ${field}`);
    }
    data.set(row as number[], i * width);
  });
  return { rows: value.length, width, data };
}

/** Descriptor rows as the lists of numbers a step outputs (numpy's tolist() of OpenCV's float32 array). */
export function descriptorLists(descriptors: Float32Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < descriptors.length; offset += width) rows.push(Array.from(descriptors.subarray(offset, offset + width)));
  return rows;
}

/** The matches passing the ratio test: for each query row, its nearest train row when nearer than `ratio` times the second nearest. */
export function ratioTestMatches(query: DescriptorRows, train: DescriptorRows, ratio: number): DescriptorMatch[] {
  if (query.width !== train.width) throw invalidField(`the descriptors differ in length (${query.width} and ${train.width}); they must come from the same kind of detector`);
  if (train.rows < 2) return [];
  const { width } = query;
  const good: DescriptorMatch[] = [];
  for (let q = 0; q < query.rows; q++) {
    const qOffset = q * width;
    let best = Infinity;
    let second = Infinity;
    let bestIdx = -1;
    for (let t = 0; t < train.rows; t++) {
      const tOffset = t * width;
      let sum = 0;
      for (let k = 0; k < width && sum < second; k++) {
        const diff = query.data[qOffset + k]! - train.data[tOffset + k]!;
        sum += diff * diff;
      }
      if (sum < best) {
        second = best;
        best = sum;
        bestIdx = t;
      } else if (sum < second) {
        second = sum;
      }
    }
    // OpenCV's distances are float32 square roots; the test compares them in double (Python).
    const bestDistance = Math.fround(Math.sqrt(best));
    if (bestDistance < ratio * Math.fround(Math.sqrt(second))) good.push({ queryIdx: q, trainIdx: bestIdx, distance: bestDistance });
  }
  return good;
}
