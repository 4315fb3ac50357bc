import { describe, expect, it } from "vitest";
import { deserializeDetections, Detections, iou, serializeDetections, TRACKER_ID_KEY, WorkflowError } from "../src/index.js";

const wire = {
  image: { width: 640, height: 480 },
  predictions: [
    { x: 50, y: 60, width: 100, height: 80, confidence: 0.9, class: "bottle", class_id: 0, detection_id: "r0", parent_id: "img", tracker_id: 7 },
    { x: 250, y: 50, width: 20, height: 10, confidence: 0.4, class: "can", class_id: 1, detection_id: "r1" },
  ],
};

describe("Detections wire format", () => {
  it("reads centre boxes into xyxy columns and keeps unknown keys as data", () => {
    const d = deserializeDetections(wire);
    expect(d.length).toBe(2);
    expect([...d.xyxy]).toEqual([0, 20, 100, 100, 240, 45, 260, 55]);
    expect([...d.confidence]).toEqual([0.9, 0.4]);
    expect([...d.classId]).toEqual([0, 1]);
    expect(d.className).toEqual(["bottle", "can"]);
    expect(d.detectionId).toEqual(["r0", "r1"]);
    expect(d.parentId).toEqual(["img", null]);
    expect(d.data["tracker_id"]).toEqual([7, undefined]);
    expect(d.image).toEqual({ width: 640, height: 480 });
  });

  it("round-trips without loss", () => {
    const back = serializeDetections(deserializeDetections(wire));
    expect(back).toEqual({
      image: { width: 640, height: 480 },
      predictions: [
        { ...wire.predictions[0] },
        { ...wire.predictions[1], parent_id: null },
      ],
    });
  });

  it("does not write a model's prediction_type column per prediction, as Roboflow's serializer does not", () => {
    const d = new Detections({
      image: { width: 100, height: 100 },
      xyxy: [10, 10, 30, 50],
      confidence: [0.5],
      classId: [3],
      className: ["dog"],
      detectionId: ["d"],
      parentId: ["image"],
      data: { prediction_type: ["object-detection"], tracker_id: [4] },
    });
    expect(serializeDetections(d).predictions).toEqual([
      { x: 20, y: 30, width: 20, height: 40, confidence: 0.5, class: "dog", class_id: 3, detection_id: "d", parent_id: "image", tracker_id: 4 },
    ]);
  });

  it("converts crop-relative boxes to the root image for coordinates_system parent", () => {
    const crop = new Detections({
      image: { width: 100, height: 100 },
      xyxy: [10, 10, 30, 50],
      confidence: [0.5],
      classId: [3],
      className: ["dog"],
      detectionId: ["d"],
      parentId: ["crop-1"],
      data: { root_parent_origin: [{ offset_x: 200, offset_y: 100, width: 800, height: 600 }], points: [[{ x: 10, y: 10 }, { x: 30, y: 50 }]] },
    });
    const own = serializeDetections(crop);
    expect(own.image).toEqual({ width: 100, height: 100 });
    expect(own.predictions[0]).toMatchObject({ x: 20, y: 30, width: 20, height: 40 });
    const parent = serializeDetections(crop, { toRootCoordinates: true });
    expect(parent.image).toEqual({ width: 800, height: 600 });
    expect(parent.predictions[0]).toMatchObject({ x: 220, y: 130, width: 20, height: 40, points: [{ x: 210, y: 110 }, { x: 230, y: 150 }] });
  });

  it("refuses malformed predictions with a pointer", () => {
    const error = (() => {
      try {
        deserializeDetections({ predictions: [{ x: 1, y: 2, width: "wide", height: 3 }] }, "/inputs/p/0");
      } catch (e) {
        return e as WorkflowError;
      }
      return undefined;
    })();
    expect(error?.code).toBe("invalid_detections");
    expect(error?.details["pointer"]).toBe("/inputs/p/0/predictions/0/width");
  });
});

describe("Detections given as an input", () => {
  it("belong to the input element they came in, as Roboflow names it, unless a prediction names its own parent", async () => {
    const { BlockRegistry, WorkflowEngine, defineBlock, DETECTION_KINDS } = await import("../src/index.js");
    const pass = defineBlock<{ predictions: Detections }>({
      manifest: {
        type: "test/pass@v1", name: "Pass", description: "Returns its detections.", family: "formatters",
        fields: { predictions: { kinds: DETECTION_KINDS, required: true } },
        outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
      },
      run: ({ predictions }) => ({ predictions }),
    });
    const engine = new WorkflowEngine({ registry: new BlockRegistry([pass]) });
    const def = {
      version: "1.0",
      inputs: [{ type: "WorkflowBatchInput", name: "boxes", kind: ["object_detection_prediction"] }],
      steps: [{ type: "test/pass@v1", name: "p", predictions: "$inputs.boxes" }],
      outputs: [{ type: "JsonField", name: "out", selector: "$steps.p.predictions" }],
    };
    const parents = (outputs: Record<string, unknown>[]) => outputs.map((o) => (o["out"] as { predictions: { parent_id: unknown }[] }).predictions.map((p) => p.parent_id));
    expect(parents((await engine.run(def, { boxes: [wire, wire] }, { serialize: true })).outputs)).toEqual([["img", "boxes.[0]"], ["img", "boxes.[1]"]]);
    expect(parents((await engine.run(def, { boxes: wire }, { serialize: true })).outputs)).toEqual([["img", "boxes"]]);
  });
});

describe("Detections operations", () => {
  const d = deserializeDetections(wire);

  it("selects, filters and concatenates columns together", () => {
    const picked = d.select([1, 0, 1]);
    expect(picked.detectionId).toEqual(["r1", "r0", "r1"]);
    expect([...picked.xyxy.subarray(0, 4)]).toEqual([240, 45, 260, 55]);
    expect(picked.data["tracker_id"]).toEqual([undefined, 7, undefined]);
    expect(d.filter((i) => d.confidence[i]! > 0.5).className).toEqual(["bottle"]);
    const both = Detections.concat([d, d.select([0]).with({ data: {} })]);
    expect(both.length).toBe(3);
    expect(both.data["tracker_id"]).toEqual([7, undefined, null]);
  });

  it("carries tracker ids through select, filter, concat and the wire, writing them only for tracked detections", () => {
    const tracked = d.withTrackerIds([3, null]);
    expect([tracked.trackerId(0), tracked.trackerId(1)]).toEqual([3, null]);
    expect(tracked.data[TRACKER_ID_KEY]).toEqual([3, null]);
    expect(tracked.select([1, 0]).data[TRACKER_ID_KEY]).toEqual([null, 3]);
    expect(tracked.filter((i) => i === 0).trackerId(0)).toBe(3);
    expect(tracked.with({ xyxy: [1, 2, 3, 4, 5, 6, 7, 8] }).trackerId(0)).toBe(3);
    expect(Detections.concat([tracked, d.withTrackerIds([9, 10])]).data[TRACKER_ID_KEY]).toEqual([3, null, 9, 10]);
    const predictions = serializeDetections(tracked).predictions;
    expect(predictions[0]!["tracker_id"]).toBe(3);
    expect("tracker_id" in predictions[1]!).toBe(false);
    expect(deserializeDetections(serializeDetections(tracked)).trackerId(0)).toBe(3);
    expect(d.trackerId(1)).toBeNull();
  });

  it("rejects columns of different lengths", () => {
    expect(() => new Detections({ image: { width: 1, height: 1 }, xyxy: [0, 0, 1, 1], confidence: [1, 1], classId: [0], className: ["a"] })).toThrow(RangeError);
  });

  it("computes IoU", () => {
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150, 10);
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
  });
});
