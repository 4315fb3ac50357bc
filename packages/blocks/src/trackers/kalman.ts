/**
 * A linear Kalman filter of any size over plain arrays (matrix.ts), for the trackers whose state
 * is not ByteTrack's 8 values: OC-SORT's (x, y, scale, aspect, vx, vy, vscale). State and
 * covariance stay JSON data between frames.
 *
 * The model is "constant velocity" with the measured quantities first: of the `n` state values the
 * first `m` are measured, and value `m + i` is the velocity of value `velocityOf[i]`. So
 * F = I plus ones at (velocityOf[i], m + i) and H = [I_m 0].
 */
import { diagonal, invert, multiply, transpose } from "./matrix.js";

export interface KalmanState {
  /** The state vector, `n` values. */
  x: number[];
  /** Its covariance, n × n row-major. */
  P: number[];
}

export interface MotionModel {
  n: number;
  m: number;
  velocityOf: readonly number[];
}

/** Prediction: x = F x, P = F P Fᵀ + Q. */
export function kalmanStep(model: MotionModel, s: KalmanState, Q: readonly number[]): void {
  const { n, m, velocityOf } = model;
  velocityOf.forEach((pos, i) => (s.x[pos]! += s.x[m + i]!));
  // F P adds row m + i to row `pos`; (F P) Fᵀ then adds column m + i to column `pos`.
  const P = s.P;
  velocityOf.forEach((pos, i) => {
    for (let c = 0; c < n; c++) P[pos * n + c]! += P[(m + i) * n + c]!;
  });
  velocityOf.forEach((pos, i) => {
    for (let r = 0; r < n; r++) P[r * n + pos]! += P[r * n + m + i]!;
  });
  for (let k = 0; k < n * n; k++) P[k]! += Q[k]!;
}

/**
 * Correction with a measurement `z` of the first `m` values, noise R (m × m), in Joseph form
 * (P = (I - KH) P (I - KH)ᵀ + K R Kᵀ) as the trackers library's filter does: it stays symmetric.
 */
export function kalmanMeasure(model: MotionModel, s: KalmanState, z: readonly number[], R: readonly number[]): void {
  const { n, m } = model;
  const P = s.P;
  // S = H P Hᵀ + R is P's top-left m × m block plus R; P Hᵀ is P's first m columns.
  const S = new Array<number>(m * m);
  const PHt = new Array<number>(n * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) S[r * m + c] = P[r * n + c]! + R[r * m + c]!;
  for (let r = 0; r < n; r++) for (let c = 0; c < m; c++) PHt[r * m + c] = P[r * n + c]!;
  const K = multiply(PHt, invert(S, m), n, m, m);
  const y = z.map((v, i) => v - s.x[i]!);
  const Ky = multiply(K, y, n, m, 1);
  s.x = s.x.map((v, i) => v + Ky[i]!);
  const A = diagonal(new Array<number>(n).fill(1));
  for (let r = 0; r < n; r++) for (let c = 0; c < m; c++) A[r * n + c]! -= K[r * m + c]!;
  const APAt = multiply(multiply(A, P, n, n, n), transpose(A, n, n), n, n, n);
  const KRKt = multiply(multiply(K, R, n, m, m), transpose(K, n, m), n, m, n);
  s.P = APAt.map((v, k) => v + KRKt[k]!);
}
