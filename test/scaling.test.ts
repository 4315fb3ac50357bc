/** docs/scaling.md is generated (scripts/scaling.ts): it must be what the script makes from the committed measurements, and add up. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { committedMeasurements, parseMeasurements, SCALING_DOC, scalingDoc, scalingModel, workerCompute, type ScalingMeasurements } from "../scripts/scaling.js";

const doc = readFileSync(SCALING_DOC, "utf8");

/** The rows of the doc's table that starts after `heading`: [item, formula, cost in cents]. */
function costRows(heading: string): { item: string; formula: string; cents: number }[] {
  const section = doc.slice(doc.indexOf(heading));
  const rows: { item: string; formula: string; cents: number }[] = [];
  for (const line of section.split("\n").slice(1)) {
    if (line.startsWith("## ")) break;
    const cells = /^\| (.+) \| (.+) \| \**\$(\d+)\.(\d\d)\** \|$/.exec(line);
    if (cells) rows.push({ item: cells[1]!, formula: cells[2]!, cents: Number(cells[3]) * 100 + Number(cells[4]) });
  }
  return rows;
}

/** A measurement with round numbers, to check the model against figures worked out by hand. */
function measurements(overrides: Partial<ScalingMeasurements> = {}): ScalingMeasurements {
  return {
    measured_at: "2026-12-05T00:00:00.000Z",
    machine: { cpus: 2, cpu_model: "test", node: "v24", load_average_1m_at_start: 0 },
    images: 300,
    image_set: "test",
    batch_size: 10,
    detect_crop_classify_ms_per_image: { mean: 90, median: 90, p90: 90 },
    worker_batch_ms: { mean: 1000, median: 1000, p90: 1000 },
    s3_requests_per_image: { get: 2, head: 0, put: 1, list: 0.01, delete: 0, other: 0, precondition_failed: 0 },
    ...overrides,
  };
}

describe("docs/scaling.md", () => {
  it("is what `npm run scaling` writes from docs/scaling-measurements.json", () => {
    // On a difference: `npm run scaling`, and commit the page with the measurements.
    expect(doc).toBe(scalingDoc(committedMeasurements()));
  });

  it("prints a total that is the sum of its cost lines", () => {
    const rows = costRows("## One million images");
    const total = rows.pop()!;
    expect(total.item).toBe("**total**");
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(total.cents).toBe(rows.reduce((sum, row) => sum + row.cents, 0));
    expect(total.cents).toBe(scalingModel(committedMeasurements()).totalCents);
  });

  it("prints each cost as its formula's last quantity times its price", () => {
    for (const row of costRows("## One million images").slice(0, -1)) {
      const last = /([\d,.]+)(?: GB-s)? × \$([\d.]+)$/.exec(row.formula);
      expect(last, row.item).not.toBeNull();
      const [quantity, price] = [Number(last![1]!.replaceAll(",", "")), Number(last![2])];
      // The quantity is printed to whole units: its rounding moves the product by at most half a price.
      expect(Math.abs(quantity * price * 100 - row.cents), `${row.item}: ${row.formula}`).toBeLessThanOrEqual(0.5 + 50 * price);
    }
  });
});

describe("the cost model", () => {
  it("gives the figures worked out by hand for 100 ms per image on two CPUs", () => {
    const model = scalingModel(measurements());
    // 3,008 MB / 1,769 MB = 1.7004 vCPU; 100 ms × 2 / 1.7004 = 117.62 ms; + 4 × 20 ms / 10 = 125.62 ms.
    expect(model.imageSeconds * 1000).toBeCloseTo(125.62, 2);
    const cost = (item: string): number => model.lines.find((line) => line.item.startsWith(item))!.cents;
    // 10⁶ × 0.12562 s × 2.9375 GB = 369,009 GB-s × $0.0000166667 = $6.15.
    expect(cost("Lambda compute")).toBe(615);
    // 100,000 children: a transition each ($2.50), an Express request each ($0.10), 1.3 s × 64 MB each ($0.14).
    expect(cost("Distributed Map")).toBe(250);
    expect(cost("Express children: requests")).toBe(10);
    expect(cost("Express children: duration")).toBe(14);
    // 10⁶ PUTs × $0.005 / 1,000; 2 × 10⁶ GETs × $0.0004 / 1,000; 10,000 LISTs × $0.005 / 1,000.
    expect(cost("S3 PUT")).toBe(500);
    expect(cost("S3 GET")).toBe(80);
    expect(cost("S3 LIST")).toBe(5);
    expect(model.totalCents).toBe(model.lines.reduce((sum, line) => sum + line.cents, 0));
  });

  it("prices half the worker time at half the compute, and a HEAD per image at a GET's price", () => {
    const base = scalingModel(measurements({ worker_batch_ms: { mean: 2000, median: 2000, p90: 2000 } }));
    const faster = scalingModel(measurements({ worker_batch_ms: { mean: 1000, median: 1000, p90: 1000 } }));
    const compute = (model: typeof base): number => model.lines.find((line) => line.item.startsWith("Lambda compute"))!.cents;
    // 2 × 117.62 + 8 ms against 117.62 + 8 ms: the S3 waits do not halve.
    expect(compute(base) / compute(faster)).toBeCloseTo((2 * 117.62 + 8) / (117.62 + 8), 2);
    const withHeads = scalingModel(measurements({ s3_requests_per_image: { get: 2, head: 1, put: 1, list: 0.01, delete: 0, other: 0, precondition_failed: 0 } }));
    expect(withHeads.totalCents - faster.totalCents).toBe(40);
  });

  it("reads how the worker's time grows with fewer CPUs from the one-CPU run (Amdahl's law through both)", () => {
    const m = measurements({ worker_batch_ms_one_cpu: { mean: 1500, median: 1500, p90: 1500 } });
    // 150 ms on one CPU, 100 ms on two: p = (1 − 100/150) / (1 − 1/2) = 2/3 of the time runs in parallel.
    expect(workerCompute(m, 3538).seconds * 1000).toBeCloseTo(100, 1); // two vCPUs: the machine's own time
    expect(workerCompute(m, 1769).seconds * 1000).toBeCloseTo(150, 1); // one vCPU: the one-CPU run
    expect(workerCompute(m, 3008).seconds * 1000).toBeCloseTo(150 * (1 / 3 + 2 / 3 / (3008 / 1769)), 1); // 108.8 ms
    expect(workerCompute(m, 1024).seconds * 1000).toBeCloseTo(150 / (1024 / 1769), 1); // a share of one vCPU
    // Without the one-CPU run, the time grows in proportion to the vCPUs missing.
    expect(workerCompute(measurements(), 1769).seconds * 1000).toBeCloseTo(200, 1);
  });

  it("refuses measurements without S3 request counts, naming the field", () => {
    const raw = JSON.parse(JSON.stringify(measurements())) as Record<string, unknown>;
    expect(() => parseMeasurements({ ...raw, s3_requests_per_image: null })).toThrow(/"s3_requests_per_image" is null/);
    expect(() => parseMeasurements({ ...raw, worker_batch_ms: { mean: 1 } })).toThrow(/"worker_batch_ms.median"/);
    expect(parseMeasurements(raw)).toEqual(measurements());
  });
});
