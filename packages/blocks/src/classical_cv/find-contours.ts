/**
 * Outer contours of a binary image as OpenCV's findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE)
 * finds them: Suzuki & Abe's border following (1985) over the image padded with a zero frame,
 * nonzero pixels as foreground, 8-connected. A raster scan starts an outer border at each 0→1
 * step unless the last border pixel met on the row is a traced one with foreground to its right
 * (then the step is inside an object's hole and is left out); tracing marks border pixels (2, or
 * -126 where the pixel to the right is background) exactly as OpenCV does, since later starts
 * depend on those marks. A point
 * is kept where the chain's direction changes. Contours come last-found first, as OpenCV
 * returns them.
 */

export type Point = [number, number];

export interface Contours {
  contours: Point[][];
  /** Per contour [next, previous, first child, parent], -1 for none. */
  hierarchy: [number, number, number, number][];
}

/** Freeman directions: 0 right, then counter-clockwise in steps of 45° (y grows downwards). */
const STEP_X = [1, 1, 0, -1, -1, -1, 0, 1];
const STEP_Y = [0, -1, -1, -1, 0, 1, 1, 1];
const BORDER = 2;
const RIGHT_BORDER = 2 - 128; // the mark OpenCV stores as (nbd | -128) in a signed byte

export function findExternalContours(data: Uint8Array, width: number, height: number): Contours {
  const step = width + 2;
  const img = new Int8Array(step * (height + 2));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (data[y * width + x]) img[(y + 1) * step + x + 1] = 1;
  // Offsets of the 8 neighbours by direction, twice over so a search can run past direction 7.
  const deltas = new Int32Array(16);
  for (let s = 0; s < 16; s++) deltas[s] = STEP_Y[s & 7]! * step + STEP_X[s & 7]!;

  const found: Point[][] = [];
  let lnbdX = 0;
  let lnbdY = 1;
  for (let y = 1; y <= height; y++) {
    const row = y * step;
    let prev = 0;
    for (let x = 1; x <= width; x++) {
      const p = img[row + x]!;
      if (p === prev) continue;
      if (prev === 0 && p === 1) {
        // An outer border starts here, unless the last border met on this row belongs to an object around it.
        if (!(img[lnbdY * step + lnbdX]! > 0)) {
          found.push(followBorder(img, deltas, row + x, x - 1, y - 1));
          prev = img[row + x]!; // marked now; OpenCV resumes after it without moving its last border
          continue;
        }
      } else if (p === 0 && prev >= 1 && prev & -2) {
        lnbdX = x - 1; // a hole border starts: holes are not followed in this mode, but the border counts as met
      }
      prev = p;
      if (prev & -2) lnbdX = x;
    }
    lnbdX = 0;
    lnbdY = y + 1;
  }
  const contours = found.reverse();
  const n = contours.length;
  return { contours, hierarchy: contours.map((_, i) => [i + 1 < n ? i + 1 : -1, i - 1, -1, -1]) };
}

/** Follows the outer border starting at pixel index `start` (image point x, y), marking it; the points where the direction changes. */
function followBorder(img: Int8Array, deltas: Int32Array, start: number, x: number, y: number): Point[] {
  const points: Point[] = [];
  // The first neighbour met turning clockwise from the left one.
  let s = 4;
  let second = start;
  do {
    s = (s - 1) & 7;
    second = start + deltas[s]!;
  } while (img[second] === 0 && s !== 4);
  if (s === 4) {
    img[start] = RIGHT_BORDER; // a lone pixel
    return [[x, y]];
  }
  let current = start;
  let next = start;
  let previousDirection = s ^ 4;
  for (;;) {
    const searchEnd = s;
    // Counter-clockwise from the direction we came from, the first foreground neighbour.
    while (s < 15) {
      next = current + deltas[++s]!;
      if (img[next] !== 0) break;
    }
    s &= 7;
    if (s >= 1 && s - 1 < searchEnd) img[current] = RIGHT_BORDER;
    else if (img[current] === 1) img[current] = BORDER;
    if (s !== previousDirection) {
      points.push([x, y]);
      previousDirection = s;
    }
    x += STEP_X[s]!;
    y += STEP_Y[s]!;
    if (next === start && current === second) break;
    current = next;
    s = (s + 4) & 7;
  }
  return points;
}
