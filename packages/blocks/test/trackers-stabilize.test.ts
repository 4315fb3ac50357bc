import { Detections, MemoryVideoState, type BlockContext, type BitMask } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { stabilizeDetectionsBlock } from "../src/trackers/stabilize_detections.js";
import { frameImage, frameMetadata, tracked } from "./analytics-fixtures.js";

type Box = [number, number, number, number];
type Out = { tracked_detections: Detections };

const boxes = (d: Detections): Box[] => Array.from({ length: d.length }, (_, i) => d.box(i));
const ids = (d: Detections): unknown[] => [...(d.data["tracker_id"] ?? [])];
const plus = ([x1, y1, x2, y2]: Box, [dx, dy]: [number, number], k: number): Box => [x1 + k * dx, y1 + k * dy, x2 + k * dx, y2 + k * dy];

function expectBoxes(actual: Box[], expected: Box[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((box, i) => box.forEach((v, k) => expect(actual[i]![k]).toBeCloseTo(v, 9)));
}

/** Frames of one or more videos through the block with one store, as a video pipeline runs them. */
function stabilizer(store = new MemoryVideoState()) {
  const ctx: BlockContext = { signal: new AbortController().signal, step: "stabilize", index: [0], services: { videoState: store } };
  return {
    store,
    run: (n: number, detections: Detections, params: { smoothing_window_size?: number | null; bbox_smoothing_coefficient?: number | null } = {}, video = "video-1") =>
      stabilizeDetectionsBlock.run(
        { image: frameImage(frameMetadata(n, { video })), detections, smoothing_window_size: 3, bbox_smoothing_coefficient: 0.2, ...params },
        ctx,
      ) as Out,
  };
}

const empty = () => Detections.empty({ width: 1000, height: 1000 });

describe("stabilize_detections@v1", () => {
  it("declares Roboflow's id, fields, defaults and output", () => {
    const { manifest } = stabilizeDetectionsBlock;
    expect(manifest.type).toBe("roboflow_core/stabilize_detections@v1");
    expect(manifest.name).toBe("Detections Stabilizer");
    expect(manifest.family).toBe("transformations");
    expect(Object.keys(manifest.fields)).toEqual(["image", "detections", "smoothing_window_size", "bbox_smoothing_coefficient"]);
    expect(manifest.fields["smoothing_window_size"]).toMatchObject({ default: 3, kinds: ["integer"] });
    expect(manifest.fields["bbox_smoothing_coefficient"]).toMatchObject({ default: 0.2, kinds: ["float_zero_to_one"] });
    expect(manifest.fields["detections"]!.kinds).toEqual(["object_detection_prediction", "instance_segmentation_prediction"]);
    expect(manifest.outputs).toEqual([{ name: "tracked_detections", kinds: ["object_detection_prediction", "instance_segmentation_prediction"] }]);
  });

  it("smooths present boxes against their previous raw box and fills lost tracks by their filtered velocity until the window runs out", () => {
    const { run, store } = stabilizer();
    const alpha = { bbox_smoothing_coefficient: 0.5 };
    // Track 1's bottom-right corner moves (4, 0), (6, 2), (4, 0); track 2's (-3, 5) twice, then it is lost a frame earlier.
    const one: Box[] = [[0, 0, 20, 10], [4, 0, 24, 10], [10, 2, 30, 12], [14, 2, 34, 12]];
    const two: Box[] = [[100, 100, 120, 130], [97, 105, 117, 135], [94, 110, 114, 140]];
    const frames = [0, 1, 2].map((n) => run(n, tracked([{ box: one[n]!, id: 1 }, { box: two[n]!, id: 2 }]), alpha).tracked_detections);
    frames.push(run(3, tracked([{ box: one[3]!, id: 1 }]), alpha).tracked_detections);
    for (let n = 4; n < 8; n++) frames.push(run(n, empty(), alpha).tracked_detections);

    // Present: halfway between this frame's box and the track's previous raw box.
    expectBoxes(boxes(frames[0]!), [one[0]!, two[0]!]);
    expectBoxes(boxes(frames[1]!), [[2, 0, 22, 10], [98.5, 102.5, 118.5, 132.5]]);
    expectBoxes(boxes(frames[2]!), [[7, 1, 27, 11], [95.5, 107.5, 115.5, 137.5]]);
    // Track 2's velocity is its steady (-3, 5); each lost frame moves its last box by alpha * velocity,
    // and its history of 2 measurements lasts 2 lost frames.
    expectBoxes(boxes(frames[3]!), [[12, 2, 32, 12], plus(two[2]!, [-3, 5], 0.5)]);
    expect(ids(frames[3]!)).toEqual([1, 2]);
    // Track 1's velocity: Roboflow's VelocityKalmanFilter run on the same measurements (means of the
    // last 3 of them, Q 0.001, R 0.01, covariance 1 at first) gives (4.821415613711293, 0.8214156137112933).
    const v: [number, number] = [4.821415613711293, 0.8214156137112933];
    expectBoxes(boxes(frames[4]!), [plus(one[3]!, v, 0.5), plus(two[2]!, [-3, 5], 1)]);
    expectBoxes(boxes(frames[5]!), [plus(one[3]!, v, 1)]);
    expectBoxes(boxes(frames[6]!), [plus(one[3]!, v, 1.5)]);
    expect(frames[7]!.length).toBe(0);
    // Gap-filled detections are the track's last detection with its box moved.
    expect([frames[5]!.className[0], frames[5]!.detectionId[0], ids(frames[5]!)]).toEqual(["person", "d0", [1]]);
    expect(store.toJSON()["stabilize"]!["video-1"]).toEqual({ velocities: { window: 3, tracks: [] }, last: [] });
  });

  it("measures a track by its box's bottom-right corner, as Roboflow does: a box growing rightwards moves by its growth", () => {
    const { run } = stabilizer();
    run(0, tracked([{ box: [10, 10, 20, 20], id: 7 }]));
    expectBoxes(boxes(run(1, tracked([{ box: [10, 10, 30, 20], id: 7 }])).tracked_detections), [[10, 10, 22, 20]]);
    // Velocity (10, 0) (its centre moved 5): the lost box moves 0.2 * 10 on every coordinate.
    expectBoxes(boxes(run(2, empty()).tracked_detections), [[12, 10, 32, 20]]);
  });

  it("does not gap-fill a track seen once (it has no velocity yet) and forgets it", () => {
    const { run, store } = stabilizer();
    run(0, tracked([{ box: [10, 10, 20, 20], id: 3 }]));
    expect(run(1, empty()).tracked_detections.length).toBe(0);
    expect(store.toJSON()["stabilize"]!["video-1"]).toMatchObject({ last: [] });
  });

  it("refuses detections no tracker has seen; an empty frame passes", () => {
    const { run } = stabilizer();
    expect(() => run(0, tracked([{ box: [0, 0, 5, 5], id: null }], false))).toThrow(expect.objectContaining({ code: "untracked_detections" }));
    expect(run(0, empty()).tracked_detections.length).toBe(0);
  });

  it("refuses a window below 1 and a null coefficient", () => {
    const { run } = stabilizer();
    const frame = tracked([{ box: [0, 0, 5, 5], id: 1 }]);
    expect(() => run(0, frame, { smoothing_window_size: 0 })).toThrow(expect.objectContaining({ code: "invalid_field" }));
    expect(() => run(0, frame, { bbox_smoothing_coefficient: null })).toThrow(expect.objectContaining({ code: "invalid_field" }));
  });

  it("keeps each video's tracks apart", () => {
    const { run } = stabilizer();
    run(0, tracked([{ box: [0, 0, 10, 10], id: 1 }]), {}, "a");
    run(0, tracked([{ box: [500, 500, 510, 510], id: 1 }]), {}, "b");
    expectBoxes(boxes(run(1, tracked([{ box: [10, 0, 20, 10], id: 1 }]), {}, "a").tracked_detections), [[2, 0, 12, 10]]);
    expectBoxes(boxes(run(1, tracked([{ box: [500, 490, 510, 500], id: 1 }]), {}, "b").tracked_detections), [[500, 498, 510, 508]]);
  });

  it("keeps its state as JSON: a store restored from JSON gap-fills a masked detection with its mask, as the original store does", () => {
    const mask = (left: number): BitMask => ({ width: 1000, height: 1000, left, top: 0, columns: 3, rows: 2, data: Uint8Array.from([0, 1, 1, 1, 1, 0]) });
    const segmented = (box: Box, left: number) => tracked([{ box, id: 5 }]).with({ masks: [mask(left)] }).withData("prediction_type", ["instance-segmentation"]);
    const { run, store } = stabilizer();
    run(0, segmented([0, 0, 3, 2], 0));
    run(1, segmented([2, 0, 5, 2], 2));
    const restored = stabilizer(MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store.toJSON()))));
    const fromJson = restored.run(2, empty()).tracked_detections;
    const original = run(2, empty()).tracked_detections;
    // Velocity (2, 0): the last box moves 0.2 * 2; its mask stays where it was.
    expectBoxes(boxes(fromJson), [[2.4, 0, 5.4, 2]]);
    expect(fromJson.masks).toEqual([mask(2)]);
    expect(fromJson.data).toEqual({ tracker_id: [5], prediction_type: ["instance-segmentation"] });
    expect(fromJson).toEqual(original);
  });
});
