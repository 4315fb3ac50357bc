import { describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import { detectionsConsensusBlock } from "../src/fusion/detections_consensus.js";
import { boxes, makeDetections, rectMask, runBlock } from "./detections-fixture.js";

async function consensus(predictions_batches: Detections[], options: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return runBlock(detectionsConsensusBlock, { predictions_batches, required_votes: 2, ...options });
}

const predictionsOf = (result: Record<string, unknown>): Detections => result["predictions"] as Detections;
const pixels = (d: Detections): number => d.masks![0]!.data.reduce((sum, v) => sum + v, 0);

// Two models on one image. Votes: a0~b0 (person, IoU 18000/22000), a2~b1 (car, IoU 9025/10000);
// a1 and b2 have no partner.
const modelA = makeDetections([
  { box: [100, 100, 200, 300], cls: "person", classId: 0, confidence: 0.9, id: "a0" },
  { box: [300, 100, 400, 300], cls: "person", classId: 0, confidence: 0.6, id: "a1" },
  { box: [500, 100, 600, 200], cls: "car", classId: 2, confidence: 0.8, id: "a2", data: { note: "from a" } },
]);
const modelB = makeDetections([
  { box: [110, 100, 210, 300], cls: "person", classId: 0, confidence: 0.7, id: "b0" },
  { box: [505, 105, 600, 200], cls: "car", classId: 2, confidence: 0.5, id: "b1", data: { note: "from b" } },
  { box: [700, 100, 800, 300], cls: "person", classId: 0, confidence: 0.95, id: "b2" },
]);

describe("DetectionsConsensus", () => {
  it("uses the Roboflow id, alias and defaults", () => {
    const { manifest } = detectionsConsensusBlock;
    expect(manifest.aliases).toEqual(["DetectionsConsensus"]);
    const defaults = Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]));
    expect(defaults).toEqual({
      predictions_batches: undefined,
      required_votes: undefined,
      class_aware: true,
      iou_threshold: 0.3,
      confidence: 0,
      classes_to_consider: null,
      required_objects: null,
      presence_confidence_aggregation: "max",
      detections_merge_confidence_aggregation: "average",
      detections_merge_coordinates_aggregation: "average",
      detections_merge_mask_aggregation: "union",
    });
    expect(manifest.outputs.map((o) => o.name)).toEqual(["predictions", "object_present", "presence_confidence"]);
  });

  it("merges detections two models agree on, averaging boxes and confidences", async () => {
    const result = await consensus([modelA, modelB]);
    const merged = predictionsOf(result);
    expect(merged.className).toEqual(["person", "car"]);
    expect([...merged.classId]).toEqual([0, 2]);
    expect(merged.confidence[0]).toBeCloseTo(0.8, 12);
    expect(merged.confidence[1]).toBeCloseTo(0.65, 12);
    expect(boxes(merged)).toEqual([
      [105, 100, 205, 300],
      [502.5, 102.5, 600, 200],
    ]);
    expect(merged.parentId).toEqual(["image", "image"]);
    expect(merged.detectionId.some((id) => /^[ab]\d$/.test(id))).toBe(false);
    // Other per-detection data comes from the detection that started the group.
    expect(merged.data["note"]).toEqual([null, "from a"]);
    expect(result["object_present"]).toBe(true);
    expect(result["presence_confidence"]).toEqual({ person: merged.confidence[0], car: merged.confidence[1] });
  });

  it("aggregates by max: the most confident member's class and confidence, the largest box", async () => {
    const merged = predictionsOf(
      await consensus([modelA, modelB], { detections_merge_confidence_aggregation: "max", detections_merge_coordinates_aggregation: "max" }),
    );
    expect([...merged.confidence]).toEqual([0.9, 0.8]);
    // The person boxes are equally large: the first wins.
    expect(boxes(merged)).toEqual([
      [100, 100, 200, 300],
      [500, 100, 600, 200],
    ]);
  });

  it("aggregates by min: the least confident member's confidence, the smallest box", async () => {
    const merged = predictionsOf(
      await consensus([modelA, modelB], { detections_merge_confidence_aggregation: "min", detections_merge_coordinates_aggregation: "min" }),
    );
    expect([...merged.confidence]).toEqual([0.7, 0.5]);
    expect(boxes(merged)).toEqual([
      [100, 100, 200, 300],
      [505, 105, 600, 200],
    ]);
  });

  it("drops merged detections below the confidence threshold", async () => {
    const result = await consensus([modelA, modelB], { confidence: 0.7 });
    expect(predictionsOf(result).className).toEqual(["person"]);
    expect(result["presence_confidence"]).toEqual({ person: predictionsOf(result).confidence[0] });
  });

  it("considers only the listed classes", async () => {
    const result = await consensus([modelA, modelB], { classes_to_consider: ["car"] });
    expect(predictionsOf(result).className).toEqual(["car"]);
    expect(Object.keys(result["presence_confidence"] as object)).toEqual(["car"]);
  });

  it("decides presence from required_objects: a total or per class", async () => {
    expect((await consensus([modelA, modelB], { required_objects: 2 }))["object_present"]).toBe(true);
    const tooMany = await consensus([modelA, modelB], { required_objects: 3 });
    expect([tooMany["object_present"], tooMany["presence_confidence"]]).toEqual([false, {}]);
    // One merged person only: two are required.
    const perClass = await consensus([modelA, modelB], { required_objects: { person: 2 } });
    expect([perClass["object_present"], perClass["presence_confidence"]]).toEqual([false, {}]);
    expect(predictionsOf(perClass).length).toBe(2);
    expect((await consensus([modelA, modelB], { required_objects: { person: 1, car: 1 } }))["object_present"]).toBe(true);
    // Class-agnostic: the per-class counts add up to a total (1 + 1 <= 2 merged).
    expect((await consensus([modelA, modelB], { required_objects: { person: 1, car: 1 }, class_aware: false }))["object_present"]).toBe(true);
  });

  describe("with three class-agnostic models", () => {
    const cat = makeDetections([{ box: [0, 0, 100, 100], cls: "cat", classId: 15, confidence: 0.9, id: "x" }]);
    const dog1 = makeDetections([{ box: [10, 0, 110, 100], cls: "dog", classId: 16, confidence: 0.6, id: "y" }]);
    const dog2 = makeDetections([{ box: [0, 10, 100, 110], cls: "dog", classId: 16, confidence: 0.7, id: "z" }]);
    const agnostic = { required_votes: 3, class_aware: false };

    it("takes the class by majority vote and averages all three", async () => {
      const result = await consensus([cat, dog1, dog2], agnostic);
      const merged = predictionsOf(result);
      expect(merged.className).toEqual(["dog"]);
      expect([...merged.classId]).toEqual([16]);
      expect(merged.confidence[0]).toBeCloseTo(2.2 / 3, 12);
      const [x1, y1, x2, y2] = merged.box(0);
      expect([x1, y1, x2, y2].map((v) => Number(v.toFixed(9)))).toEqual([3.333333333, 3.333333333, 103.333333333, 103.333333333]);
      expect(Object.keys(result["presence_confidence"] as object)).toEqual(["any_object"]);
      expect((result["presence_confidence"] as Record<string, number>)["any_object"]).toBeCloseTo(2.2 / 3, 12);
    });

    it("takes the class of the most or least confident member", async () => {
      const max = predictionsOf(await consensus([cat, dog1, dog2], { ...agnostic, detections_merge_confidence_aggregation: "max" }));
      expect([max.className[0], max.confidence[0]]).toEqual(["cat", 0.9]);
      const min = predictionsOf(await consensus([cat, dog1, dog2], { ...agnostic, detections_merge_confidence_aggregation: "min" }));
      expect([min.className[0], min.confidence[0]]).toEqual(["dog", 0.6]);
    });

    it("finds no consensus when classes must agree", async () => {
      // cat has no same-class partner; the dogs vote for each other but make only 2 of 3 votes.
      const result = await consensus([cat, dog1, dog2], { required_votes: 3 });
      expect(predictionsOf(result).length).toBe(0);
      expect([result["object_present"], result["presence_confidence"]]).toEqual([false, {}]);
    });
  });

  it("takes from each other source the detection overlapping most, once", async () => {
    const a = makeDetections([{ box: [0, 0, 100, 100], cls: "p", confidence: 0.8, id: "a" }]);
    const b = makeDetections([
      { box: [50, 0, 150, 100], cls: "p", confidence: 0.8, id: "b-weak" },
      { box: [10, 0, 110, 100], cls: "p", confidence: 0.6, id: "b-strong" },
    ]);
    // b-weak is left without a partner: a is used up.
    const merged = predictionsOf(await consensus([a, b]));
    expect(boxes(merged)).toEqual([[5, 0, 105, 100]]);
    expect(merged.confidence[0]).toBeCloseTo(0.7, 12);
  });

  it("needs an IoU strictly above the threshold", async () => {
    const a = makeDetections([{ box: [0, 0, 100, 100], cls: "p", confidence: 1, id: "a" }]);
    const b = makeDetections([{ box: [0, 0, 100, 50], cls: "p", confidence: 1, id: "b" }]);
    expect(predictionsOf(await consensus([a, b], { iou_threshold: 0.5 })).length).toBe(0);
    expect(predictionsOf(await consensus([a, b], { iou_threshold: 0.49 })).length).toBe(1);
  });

  it("returns nothing when no source detected anything", async () => {
    const result = await consensus([makeDetections([]), makeDetections([])]);
    expect(predictionsOf(result).length).toBe(0);
    expect(predictionsOf(result).image).toEqual({ width: 640, height: 480 });
    expect([result["object_present"], result["presence_confidence"]]).toEqual([false, {}]);
  });

  it("refuses predictions made on different images", async () => {
    const other = makeDetections([{ box: [110, 100, 210, 300], cls: "person", confidence: 0.7, parent: "another image" }]);
    await expect(consensus([modelA, other])).rejects.toThrow(/same image/);
  });

  it("needs at least one source", () => {
    expect(detectionsConsensusBlock.validate!({ predictions_batches: [], required_votes: 1 })[0]!.property).toBe("predictions_batches");
  });

  describe("with masks", () => {
    const size = { width: 6, height: 6 };
    // Boxes overlap with IoU 6 / 12; the masks are a 3x3 square and a 3x4 rectangle shifted by one.
    const a = makeDetections([{ box: [1, 1, 4, 4], cls: "p", confidence: 0.9, id: "a", mask: rectMask(6, 6, [1, 1, 3, 3]), data: { points: [[1, 1]] } }], size);
    const b = makeDetections([{ box: [2, 1, 5, 4], cls: "p", confidence: 0.5, id: "b", mask: rectMask(6, 6, [2, 1, 4, 4]) }], size);
    const merge = async (mode: string, sources = [a, b]): Promise<Detections> =>
      predictionsOf(await consensus(sources, { detections_merge_mask_aggregation: mode }));

    it("merges masks by union or intersection, the box following the mask", async () => {
      const union = await merge("union");
      expect(boxes(union)).toEqual([[1, 1, 4, 4]]);
      expect(pixels(union)).toBe(9 + 12 - 6);
      const intersection = await merge("intersection");
      expect(boxes(intersection)).toEqual([[2, 1, 3, 3]]);
      expect(pixels(intersection)).toBe(6);
      // The first member's polygon does not describe the merged mask.
      expect(union.data["points"]).toBeUndefined();
    });

    it("takes the largest or smallest mask", async () => {
      expect(boxes(await merge("max"))).toEqual([[2, 1, 4, 4]]);
      expect(boxes(await merge("min"))).toEqual([[1, 1, 3, 3]]);
    });

    it("treats a member without a mask as an empty mask", async () => {
      const plain = makeDetections([{ box: [2, 1, 5, 4], cls: "p", confidence: 0.5, id: "b" }], size);
      expect(boxes(await merge("union", [a, plain]))).toEqual([[1, 1, 3, 3]]);
      expect(boxes(await merge("intersection", [a, plain]))).toEqual([[0, 0, 0, 0]]);
    });
  });
});
