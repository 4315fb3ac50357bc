import { Detections } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { overlapBlock } from "../src/analytics/overlap.js";

function detections(rows: readonly [className: string, box: [number, number, number, number]][]): Detections {
  return new Detections({
    image: { width: 640, height: 480 },
    xyxy: rows.flatMap(([, box]) => box),
    confidence: rows.map(() => 0.8),
    classId: rows.map(([c]) => (c === "bicycle" ? 1 : 0)),
    className: rows.map(([c]) => c),
    detectionId: rows.map((_, i) => `d${i}`),
  });
}

const ctx = { signal: new AbortController().signal, step: "overlap", index: [0], services: {} };
const kept = async (predictions: Detections, overlap_type: "Center Overlap" | "Any Overlap", overlap_class_name = "bicycle") =>
  ((await overlapBlock.run({ predictions, overlap_type, overlap_class_name }, ctx)) as { overlaps: Detections }).overlaps.detectionId;

describe("overlap@v1", () => {
  // Two bicycles: [100, 100, 200, 200] and [400, 100, 500, 200].
  const scene = detections([
    ["person", [150, 50, 190, 190]], // d0: centre (170, 120) inside bicycle 1
    ["bicycle", [100, 100, 200, 200]], // d1
    ["person", [180, 180, 260, 260]], // d2: centre (220, 220) outside; box overlaps bicycle 1's corner
    ["person", [200, 20, 240, 100]], // d3: touches bicycle 1 only at the corner point (200, 100)
    ["dog", [420, 120, 460, 160]], // d4: centre inside bicycle 2
    ["bicycle", [400, 100, 500, 200]], // d5
    ["person", [300, 300, 340, 340]], // d6: far from both
    ["person", [50, 100, 150, 180]], // d7: centre (100, 140) on bicycle 1's edge: not strictly inside
  ]);

  it("Center Overlap keeps detections whose centre is strictly inside a reference box, in their order, without the references", async () => {
    expect(await kept(scene, "Center Overlap")).toEqual(["d0", "d4"]);
  });

  it("Any Overlap keeps every box that intersects or touches a reference box", async () => {
    expect(await kept(scene, "Any Overlap")).toEqual(["d0", "d2", "d3", "d4", "d7"]);
  });

  it("gives nothing without a detection of the reference class", async () => {
    expect(await kept(scene, "Any Overlap", "car")).toEqual([]);
    expect(await kept(detections([]), "Center Overlap")).toEqual([]);
  });
});
