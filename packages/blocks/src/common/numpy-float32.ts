/**
 * numpy's float32 reductions, bit for bit: `arr.mean()` on a float32 array sums in float32 (not
 * float64) with numpy's pairwise summation — eight running sums for blocks of up to 128 values,
 * halves of longer runs summed separately — and it is fed 8192 values at a time — so a plain loop,
 * a float64 sum or one pairwise run over everything gives a different last bit on large arrays. Used where the reference returns such a mean as its result.
 */
const fround = Math.fround;

/** numpy's pairwise_sum for float32 over values[start, start + n). */
export function pairwiseSum32(values: Float32Array, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum = fround(sum + values[start + i]!);
    return sum;
  }
  if (n <= 128) {
    const r = Array.from(values.subarray(start, start + 8));
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = fround(r[j]! + values[start + i + j]!);
    let sum = fround(fround(fround(r[0]! + r[1]!) + fround(r[2]! + r[3]!)) + fround(fround(r[4]! + r[5]!) + fround(r[6]! + r[7]!)));
    for (; i < n; i++) sum = fround(sum + values[start + i]!);
    return sum;
  }
  // Halves, the first a multiple of 8 long.
  let half = Math.floor(n / 2);
  half -= half % 8;
  return fround(pairwiseSum32(values, start, half) + pairwiseSum32(values, start + half, n - half));
}

/** numpy's buffer size: a reduction is fed to the summing loop this many values at a time. */
const BUFFER_SIZE = 8192;

/**
 * `image[y1:y2, x1:x2].mean()` of a float32 image `width` wide (the whole image: `.mean()`):
 * numpy walks the values in row order, 8192 at a time (its buffer, also for a contiguous array),
 * sums each run pairwise and adds the runs' sums into one float32 total.
 */
export function regionMean32(values: Float32Array, width: number, x1: number, y1: number, x2: number, y2: number): number {
  const buffer = new Float32Array(BUFFER_SIZE);
  let filled = 0;
  let sum = 0;
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; ) {
      const take = Math.min(x2 - x, BUFFER_SIZE - filled);
      buffer.set(values.subarray(y * width + x, y * width + x + take), filled);
      filled += take;
      x += take;
      if (filled === BUFFER_SIZE) {
        sum = fround(sum + pairwiseSum32(buffer, 0, filled));
        filled = 0;
      }
    }
  }
  if (filled > 0) sum = fround(sum + pairwiseSum32(buffer, 0, filled));
  return fround(sum / ((x2 - x1) * (y2 - y1)));
}
