import { MemoryVideoState } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { identifyChangesBlock } from "../src/video/identify_changes.js";
import { identifyOutliersBlock } from "../src/video/identify_outliers.js";
import { normalUpperTail } from "../src/video/normal-tail.js";
import { stepContext } from "./video-fixtures.js";

type ChangesOutput = { is_outlier: boolean; percentile: number; z_score: number; average: number[]; std: number[]; warming_up: boolean };

type OutliersOutput = { is_outlier: boolean; percentile: number; warming_up: boolean };

const changesDefaults = { strategy: "Exponential Moving Average (EMA)", threshold_percentile: 0.2, warmup: 3, smoothing_factor: 0.1, window_size: 10 } as const;

/** A fixed embedding, and deterministic small perturbations of it (a sine, not a random draw). */
const base = [0.3, -0.7, 0.55, 0.1, -0.25];
const unitBase = base.map((x) => x / Math.hypot(...base));
const perturbed = (k: number, size: number) => base.map((x, i) => x + size * (0.5 + 0.5 * Math.sin(7 * k + 3 * i)));

describe("normalUpperTail", () => {
  it("matches the standard normal's tail (scipy's norm.sf) to 1e-7", () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1)).toBeCloseTo(0.15865525393145707, 7);
    expect(normalUpperTail(-1.96)).toBeCloseTo(0.9750021048517795, 7);
    expect(normalUpperTail(3)).toBeCloseTo(0.0013498980316301, 7);
  });
});

describe("Identify Changes block", () => {
  it("declares Roboflow's id, fields, defaults and outputs", () => {
    const { manifest } = identifyChangesBlock;
    expect(manifest.type).toBe("roboflow_core/identify_changes@v1");
    expect(Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]))).toEqual({ ...changesDefaults, embedding: undefined });
    expect(manifest.outputs.map((o) => o.name)).toEqual(["is_outlier", "percentile", "z_score", "average", "std", "warming_up"]);
  });

  for (const strategy of ["Exponential Moving Average (EMA)", "Simple Moving Average (SMA)", "Sliding Window"] as const) {
    it(`${strategy}: warms up, learns a steady embedding, tolerates small noise and flags a large change`, () => {
      const ctx = stepContext();
      const run = (embedding: number[]) => identifyChangesBlock.run({ ...changesDefaults, strategy, embedding }, ctx) as ChangesOutput;
      const first = run(base);
      expect(first).toMatchObject({ is_outlier: false, warming_up: true, percentile: 0.5, z_score: 0 });
      let result = first;
      for (let i = 0; i < 10; i++) result = run(base);
      result.average.forEach((x, i) => expect(x).toBeCloseTo(unitBase[i]!, 12));
      result.std.forEach((x) => expect(x).toBeCloseTo(0, 12));
      expect(result).toMatchObject({ is_outlier: false, warming_up: false });

      for (let k = 0; k < 10; k++) run(perturbed(k, 1e-3));
      result = run(base);
      expect(result.is_outlier).toBe(false);
      expect(Math.max(...result.average.map((x, i) => Math.abs(x - unitBase[i]!)))).toBeGreaterThan(1e-6);
      expect(Math.max(...result.std)).toBeGreaterThan(0);

      result = run([0.5, 0.5, 0.5, 0.5, 0.5]);
      expect(result.is_outlier).toBe(true);
      // Far less similar to the average than before: a negative z-score beyond the 0.1 tail (z < -1.28).
      // (A window of 10 similarities bounds |z| by 9/√10 ≈ 2.85 with one extreme value; EMA and SMA go further.)
      expect(result.z_score).toBeLessThan(-2.5);
      expect(result.percentile).toBeGreaterThan(0.99);
    });
  }

  it("no spread in similarity (the same embedding again) is not an outlier: percentile 0.5, z-score 0", () => {
    const ctx = stepContext();
    const embedding = [0.1, -0.4, 0.3, 0.9, -0.2];
    identifyChangesBlock.run({ ...changesDefaults, warmup: 1, embedding }, ctx);
    expect(identifyChangesBlock.run({ ...changesDefaults, warmup: 1, embedding }, ctx)).toMatchObject({ warming_up: false, is_outlier: false, percentile: 0.5, z_score: 0 });
  });

  it("EMA numbers worked by hand: the average moves a tenth of the way to a new unit embedding", () => {
    const ctx = stepContext();
    const run = (embedding: number[]) => identifyChangesBlock.run({ ...changesDefaults, embedding }, ctx) as ChangesOutput;
    run([1, 0]);
    const second = run([0, 2]);
    // average = 0.9·[1, 0] + 0.1·[0, 1]; variance = 0.1·(x − average)² = 0.1·[0.81, 0.81] → std 0.2846…
    expect(second.average).toEqual([0.9, 0.1]);
    second.std.forEach((s) => expect(s).toBeCloseTo(Math.sqrt(0.081), 12));
  });

  it("its state is JSON: a store restored from JSON answers as the original", () => {
    const store = new MemoryVideoState();
    const run = (s: MemoryVideoState, embedding: number[]) => identifyChangesBlock.run({ ...changesDefaults, embedding }, stepContext(s)) as ChangesOutput;
    for (let k = 0; k < 6; k++) run(store, perturbed(k, 0.05));
    const restored = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store)));
    expect(run(restored, perturbed(9, 0.05))).toEqual(run(store, perturbed(9, 0.05)));
  });
});

describe("Identify Outliers block", () => {
  const defaults = { threshold_percentile: 0.05, warmup: 3, window_size: 32 };

  it("declares Roboflow's id, fields, defaults and outputs", () => {
    const { manifest } = identifyOutliersBlock;
    expect(manifest.type).toBe("roboflow_core/identify_outliers@v1");
    expect(Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]))).toEqual({ ...defaults, embedding: undefined });
    expect(manifest.outputs.map((o) => o.name)).toEqual(["is_outlier", "percentile", "warming_up"]);
  });

  it("warms up, ranks a steady stream inside the window and flags a large change", () => {
    const ctx = stepContext();
    const run = (embedding: number[]) => identifyOutliersBlock.run({ ...defaults, embedding }, ctx) as OutliersOutput;
    expect(run(base)).toEqual({ is_outlier: false, percentile: 0.5, warming_up: true });
    expect(run(base)).toMatchObject({ warming_up: true });
    let result = run(perturbed(0, 1e-3));
    expect(result.warming_up).toBe(false);
    for (let k = 1; k < 32; k++) result = run(perturbed(k, 1e-3));
    expect(result.is_outlier).toBe(false);
    // The window is full (32): the new embedding aligns worst with the mean direction: rank 0 of 32.
    expect(run([0.5, 0.5, 0.5, 0.5, 0.5])).toEqual({ is_outlier: true, percentile: 0, warming_up: false });
  });

  it("the window drops the oldest embedding: a rank is out of the last `window_size`", () => {
    const ctx = stepContext();
    const run = (embedding: number[]) => identifyOutliersBlock.run({ threshold_percentile: 0.1, warmup: 1, window_size: 4, embedding }, ctx) as OutliersOutput;
    // Four embeddings: [1,0] twice, [0.8,0.6] (cos 0.8 to x), [0,1]. Mean direction of the window of 4.
    run([1, 0]);
    run([1, 0]);
    run([0.8, 0.6]);
    const r = run([0, 1]);
    expect(r).toEqual({ is_outlier: true, percentile: 0, warming_up: false });
    // A fifth pushes the first out: window [1,0], [0.8,0.6], [0,1], [1,0], mean direction ∝ [2.8, 1.6];
    // [1, 0] aligns 0.868, above only [0, 1] (0.496): 1 of 4 (with the first kept it would be 1 of 5).
    expect(run([1, 0]).percentile).toBe(0.25);
  });
});
