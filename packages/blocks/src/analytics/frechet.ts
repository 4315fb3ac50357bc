/**
 * The discrete Fréchet distance between a growing path and a fixed reference path, as Roboflow's
 * path_deviation blocks compute it (Eiter and Mannila's coupling distance over the paths' points).
 * Its dynamic programme fills one row per point of the growing path, each from the row before, so
 * a track keeps only its last row and extends it by one point per frame.
 */
import type { Point } from "./zone-geometry.js";

// sqrt of the sum of squares, as numpy computes it (Math.hypot may differ in the last bit)
const distance = (a: Point, b: Point): number => Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2);

/**
 * The row for `point`, the next point of a path whose previous row is `previous` (null for its
 * first point): entry j is the distance between the path so far and the reference's first j + 1
 * points. The last entry is the distance to the whole reference.
 */
export function frechetRow(previous: readonly number[] | null, point: Point, reference: readonly Point[]): number[] {
  const row: number[] = [];
  for (let j = 0; j < reference.length; j++) {
    const here = distance(point, reference[j]!);
    let reach: number;
    if (previous === null) reach = j === 0 ? 0 : row[j - 1]!;
    else reach = j === 0 ? previous[0]! : Math.min(previous[j]!, previous[j - 1]!, row[j - 1]!);
    row.push(Math.max(reach, here));
  }
  return row;
}

/** The last row of a whole path (of at least one point) against `reference`: its last entry is their distance. */
export function frechetLastRow(path: readonly Point[], reference: readonly Point[]): number[] {
  return path.reduce<number[] | null>((row, point) => frechetRow(row, point, reference), null)!;
}
