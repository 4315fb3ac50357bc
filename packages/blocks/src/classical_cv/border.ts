/** How filters read outside the image, by OpenCV's names: each maps an index into [0, n). */
export type Border = (i: number, n: number) => number;

/** BORDER_REFLECT_101 (OpenCV's default): gfedcb|abcdefgh|gfedcba — the edge pixel is not repeated. */
export const reflect101: Border = (i, n) => {
  if (n === 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
  return i;
};

/** BORDER_REPLICATE: aaaaaa|abcdefgh|hhhhhhh. */
export const replicate: Border = (i, n) => Math.min(Math.max(i, 0), n - 1);

/** Source column (or row) indices for positions -before .. n-1+after, resolved through the border. */
export function borderIndex(n: number, before: number, after: number, border: Border): Int32Array {
  const out = new Int32Array(n + before + after);
  for (let i = 0; i < out.length; i++) out[i] = border(i - before, n);
  return out;
}
