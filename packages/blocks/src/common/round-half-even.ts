/**
 * Rounding to a whole number with ties to even: Python's `round(x)` and numpy's `.round()`,
 * which is how the reference implementation turns box corners and crop centres into pixels.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round sends every tie up; an odd result from a tie goes back down to the even neighbour.
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
