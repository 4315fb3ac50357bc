/** Small vector arithmetic over plain number arrays (embeddings kept in video state). */

export function norm(v: readonly number[]): number {
  return Math.sqrt(dot(v, v));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * (b[i] ?? 0);
  return sum;
}

/** `v` scaled to length 1; a zero vector stays as it is. */
export function unit(v: readonly number[]): number[] {
  const n = norm(v);
  return n === 0 ? [...v] : v.map((x) => x / n);
}

/** Element-wise mean and population standard deviation of equally long vectors. */
export function meanAndStd(vectors: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = vectors[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (const v of vectors) for (let i = 0; i < d; i++) mean[i]! += v[i]! / vectors.length;
  const variance = new Array<number>(d).fill(0);
  for (const v of vectors) for (let i = 0; i < d; i++) variance[i]! += (v[i]! - mean[i]!) ** 2 / vectors.length;
  return { mean, std: variance.map(Math.sqrt) };
}
