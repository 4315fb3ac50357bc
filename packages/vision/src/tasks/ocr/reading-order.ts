/**
 * Reading order of text lines: top to bottom by their top-left corner, and left to right among
 * lines on the same row, as seen on the page set upright. Two lines share a row when their
 * top-left corners differ in height by less than half the smaller line's height (PaddleOCR uses
 * a fixed 10 px, which does not scale with the image).
 */
import { orderCorners } from "./min-area-rect.js";
import { distance, type Point, type Quad } from "./polygon.js";

/** Quarter turns, counter-clockwise, that set text upright: 0, 90, 180 or 270 degrees. */
export type Turn = 0 | 90 | 180 | 270;

/** The turn most lines needed (the page's); a tie goes to the smaller turn. */
export function dominantTurn(turns: readonly Turn[]): Turn {
  const counts = new Map<Turn, number>();
  for (const turn of turns) counts.set(turn, (counts.get(turn) ?? 0) + 1);
  let best: Turn = 0;
  for (const turn of [0, 90, 180, 270] as const) if ((counts.get(turn) ?? 0) > (counts.get(best) ?? 0)) best = turn;
  return best;
}

/** `items` ordered by their quads (image pixels) as read once the width × height image is turned by `turn`. */
export function readingOrder<T>(items: readonly T[], quadOf: (item: T) => Quad, turn: Turn, width: number, height: number): T[] {
  const turnPoint = ([x, y]: Point): Point =>
    turn === 90 ? [y, width - x] : turn === 180 ? [width - x, height - y] : turn === 270 ? [height - y, x] : [x, y];
  const sorted = items
    .map((item) => ({ item, quad: orderCorners(quadOf(item).map(turnPoint) as Quad) }))
    .sort((a, b) => a.quad[0][1] - b.quad[0][1] || a.quad[0][0] - b.quad[0][0]);
  const sameRow = (a: Quad, b: Quad) =>
    Math.abs(a[0][1] - b[0][1]) < Math.min(distance(a[0], a[3]), distance(b[0], b[3])) / 2;
  // Insertion pass: a line moves left past the lines of its row that start to its right.
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0; j--) {
      const left = sorted[j - 1]!;
      const right = sorted[j]!;
      if (!sameRow(left.quad, right.quad) || right.quad[0][0] >= left.quad[0][0]) break;
      sorted[j - 1] = right;
      sorted[j] = left;
    }
  }
  return sorted.map(({ item }) => item);
}
