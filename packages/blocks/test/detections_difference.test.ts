import { describe, expect, it } from "vitest";
import { deserializeDetections, type Detections } from "@cvflow/engine";
import { detectionsDifferenceBlock } from "../src/fusion/detections_difference.js";
import { makeDetections, runBlock } from "./detections-fixture.js";

function wire(predictions: { x: number; y: number; cls: string; classId: number; id: string }[]): Detections {
  return deserializeDetections({
    image: { width: 640, height: 480 },
    predictions: predictions.map((p) => ({ x: p.x, y: p.y, width: 100, height: 100, confidence: 0.9, class: p.cls, class_id: p.classId, detection_id: p.id })),
  });
}

async function difference(reference: Detections, candidate: Detections, options: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return runBlock(detectionsDifferenceBlock, { reference_predictions: reference, candidate_predictions: candidate, ...options });
}

const ids = (value: unknown): readonly string[] => (value as Detections).detectionId;

describe("DetectionsDifference", () => {
  it("uses the Roboflow id, alias and defaults", () => {
    const { manifest } = detectionsDifferenceBlock;
    expect(manifest.aliases).toEqual(["DetectionsDifference"]);
    const defaults = Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]));
    expect(defaults).toEqual({
      reference_predictions: undefined,
      candidate_predictions: undefined,
      spatial_weight: 0.4,
      class_mismatch_penalty: 0.15,
      reject_cost: 0.75,
      class_strict: false,
      min_removed_to_verify: 1,
    });
    expect(manifest.outputs.map((o) => o.name)).toEqual([
      "removed_detections",
      "persisted_detections",
      "new_detections",
      "removed_count",
      "new_count",
      "verified",
    ]);
  });

  it("reports the bottle and the bag as removed when only the can is still there", async () => {
    const reference = wire([
      { x: 50, y: 50, cls: "bottle", classId: 0, id: "r0" },
      { x: 250, y: 50, cls: "can", classId: 1, id: "r1" },
      { x: 50, y: 250, cls: "bag", classId: 2, id: "r2" },
    ]);
    const candidate = wire([{ x: 255, y: 50, cls: "can", classId: 1, id: "c0" }]);
    const result = await difference(reference, candidate);
    expect(result["removed_count"]).toBe(2);
    expect(result["new_count"]).toBe(0);
    expect(result["verified"]).toBe(true);
    expect(ids(result["removed_detections"])).toEqual(["r0", "r2"]);
    expect(ids(result["persisted_detections"])).toEqual(["c0"]);
    expect((result["new_detections"] as Detections).length).toBe(0);
  });

  it("matches the globally cheapest pair first", async () => {
    // IoU(r0, c0) = 6000 / 14000, IoU(r1, c0) = 9000 / 11000: c0 goes to r1 although r0 comes first.
    const reference = makeDetections([
      { box: [0, 0, 100, 100], cls: "a", confidence: 1, id: "r0" },
      { box: [50, 0, 150, 100], cls: "a", confidence: 1, id: "r1" },
    ]);
    const candidate = makeDetections([{ box: [40, 0, 140, 100], cls: "a", confidence: 1, id: "c0" }]);
    const result = await difference(reference, candidate);
    expect(ids(result["removed_detections"])).toEqual(["r0"]);
    expect(ids(result["persisted_detections"])).toEqual(["c0"]);
  });

  it("matches disjoint boxes by centre distance, up to reject_cost", async () => {
    // Centres 100√2 apart, enclosing diagonal 110√2: cost 0.4 · (1 + 10/11) ≈ 0.7636.
    const reference = makeDetections([{ box: [0, 0, 10, 10], cls: "a", confidence: 1, id: "r0" }]);
    const candidate = makeDetections([{ box: [100, 100, 110, 110], cls: "a", confidence: 1, id: "c0" }]);
    const rejected = await difference(reference, candidate);
    expect([rejected["removed_count"], rejected["new_count"], rejected["verified"]]).toEqual([1, 1, true]);
    expect(ids(rejected["new_detections"])).toEqual(["c0"]);
    const accepted = await difference(reference, candidate, { reject_cost: 0.77 });
    expect([accepted["removed_count"], accepted["new_count"], accepted["verified"]]).toEqual([0, 0, false]);
    expect(ids(accepted["persisted_detections"])).toEqual(["c0"]);
  });

  it("penalises a class change, and forbids it when class_strict", async () => {
    const reference = makeDetections([{ box: [0, 0, 10, 10], cls: "a", confidence: 1, id: "r0" }]);
    const candidate = makeDetections([{ box: [0, 0, 10, 10], cls: "b", confidence: 1, id: "c0" }]);
    expect((await difference(reference, candidate))["removed_count"]).toBe(0);
    expect((await difference(reference, candidate, { class_mismatch_penalty: 0.8 }))["removed_count"]).toBe(1);
    const strict = await difference(reference, candidate, { class_strict: true });
    expect([strict["removed_count"], strict["new_count"]]).toEqual([1, 1]);
  });

  it("verifies only a non-empty reference with enough removals", async () => {
    const none = makeDetections([]);
    const one = makeDetections([{ box: [0, 0, 10, 10], cls: "a", confidence: 1, id: "x" }]);
    const empty = await difference(none, one);
    expect([empty["removed_count"], empty["new_count"], empty["verified"]]).toEqual([0, 1, false]);
    expect((await difference(one, none))["verified"]).toBe(true);
    expect((await difference(one, none, { min_removed_to_verify: 2 }))["verified"]).toBe(false);
  });
});
