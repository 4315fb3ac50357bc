/**
 * The little dense linear algebra the Kalman filters need, over plain number arrays (row-major), so
 * that tracker state stays JSON data. Sizes are at most 8x8: no library is worth its weight here.
 */

/** a (r x k) times b (k x c). */
export function multiply(a: readonly number[], b: readonly number[], r: number, k: number, c: number): number[] {
  const out = new Array<number>(r * c).fill(0);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < k; j++) {
      const aij = a[i * k + j]!;
      if (aij === 0) continue;
      for (let l = 0; l < c; l++) out[i * c + l]! += aij * b[j * c + l]!;
    }
  }
  return out;
}

export function transpose(a: readonly number[], r: number, c: number): number[] {
  const out = new Array<number>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j]!;
  return out;
}

export function add(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v + b[i]!);
}

export function subtract(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v - b[i]!);
}

export function identity(n: number, scale = 1): number[] {
  const out = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) out[i * n + i] = scale;
  return out;
}

export function diagonal(values: readonly number[]): number[] {
  const n = values.length;
  const out = new Array<number>(n * n).fill(0);
  values.forEach((v, i) => (out[i * n + i] = v));
  return out;
}

/** The inverse of an n x n matrix by Gauss-Jordan elimination with partial pivoting. */
export function invert(a: readonly number[], n: number): number[] {
  const m = [...a];
  const inv = identity(n);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    if (m[pivot * n + col] === 0) throw new RangeError("singular matrix");
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c]!, m[col * n + c]!];
        [inv[col * n + c], inv[pivot * n + c]] = [inv[pivot * n + c]!, inv[col * n + c]!];
      }
    }
    const p = m[col * n + col]!;
    for (let c = 0; c < n; c++) {
      m[col * n + c]! /= p;
      inv[col * n + c]! /= p;
    }
    for (let r = 0; r < n; r++) {
      const f = m[r * n + col]!;
      if (r === col || f === 0) continue;
      for (let c = 0; c < n; c++) {
        m[r * n + c]! -= f * m[col * n + c]!;
        inv[r * n + c]! -= f * inv[col * n + c]!;
      }
    }
  }
  return inv;
}

/**
 * One Kalman measurement update with H = [I4 | 0] (the state's first 4 values are measured):
 * returns the corrected mean and covariance of an 8-value state.
 */
export function kalmanCorrect(mean: readonly number[], cov: readonly number[], measurement: readonly number[], noise: readonly number[]): { mean: number[]; cov: number[] } {
  // P H^T is P's first 4 columns; H P H^T its top-left 4x4 block.
  const pht = new Array<number>(32);
  for (let i = 0; i < 8; i++) for (let j = 0; j < 4; j++) pht[i * 4 + j] = cov[i * 8 + j]!;
  const s = new Array<number>(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s[i * 4 + j] = cov[i * 8 + j]! + noise[i * 4 + j]!;
  const gain = multiply(pht, invert(s, 4), 8, 4, 4);
  const innovation = measurement.map((z, i) => z - mean[i]!);
  const nextMean = add(mean, multiply(gain, innovation, 8, 4, 1));
  // P - K H P, where H P is P's first 4 rows.
  const hp = cov.slice(0, 32);
  return { mean: nextMean, cov: subtract(cov, multiply(gain, hp, 8, 4, 8)) };
}

/** x' = F x with F the constant-velocity transition (position += velocity); P' = F P F^T + Q. */
export function kalmanPredict(mean: readonly number[], cov: readonly number[], processNoise: readonly number[]): { mean: number[]; cov: number[] } {
  const f = identity(8);
  for (let i = 0; i < 4; i++) f[i * 8 + 4 + i] = 1;
  return {
    mean: mean.map((v, i) => (i < 4 ? v + mean[i + 4]! : v)),
    cov: add(multiply(multiply(f, cov, 8, 8, 8), transpose(f, 8, 8), 8, 8, 8), processNoise),
  };
}
