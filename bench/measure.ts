/** Timing helpers shared by the benchmarks. */

export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  /** e.g. "<= 50"; null where the issue sets no target (a baseline, a context number). */
  target: string | null;
  [extra: string]: unknown;
}

export type Bench = () => AsyncIterable<BenchResult>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time in milliseconds of `runs` calls, after `warmup` unmeasured ones. */
export async function timeMs(fn: () => unknown, runs: number, warmup = Math.ceil(runs / 10)): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
