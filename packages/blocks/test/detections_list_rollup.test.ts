/**
 * Detections List Roll-Up: the behaviours of Roboflow's unit tests for detections_list_rollup@v1
 * (defaults, confidence strategies, overlap thresholds, masks, keypoints, several parents, empty
 * crops, many overlapping boxes, several classes), with numbers worked out by hand, on detections
 * made on real crops of a frame (they carry the crop's lineage, as a model's do); and the
 * crop → model → Dimension Collapse → roll-up chain in the engine.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block, type Detections, type Keypoint } from "@cvflow/engine";
import { maskAt, maskExtent, type WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../src/common/lineage.js";
import { detectionsListRollUpBlock } from "../src/fusion/detections_list_rollup.js";
import { dimensionCollapseBlock } from "../src/fusion/dimension_collapse.js";
import { dynamicCropBlock } from "../src/transformations/dynamic_crop.js";
import { boxes, fakeDetector, rectMask, runBlock } from "./detections-fixture.js";
import { synthetic } from "./image-fixtures.js";

const frame = synthetic(640, 480, 3, () => 0, "frame");

interface Row {
  box: [number, number, number, number];
  confidence?: number;
  cls?: [number, string];
  /** Inclusive pixel rectangle of the mask on the crop. */
  mask?: [number, number, number, number];
  keypoints?: [number, number][];
}

const PERSON: [number, string] = [0, "person"];
const BAG: [number, string] = [1, "bag"];

/** The frame's detections standing for the crops: the parent. */
function parentOf(...crops: [number, number, number, number][]): Detections {
  return detectionsOnImage({ xyxy: crops.flat(), confidence: crops.map(() => 0.9), classId: crops.map(() => 0), className: crops.map(() => "person") }, frame);
}

/** What a model would give on `crop`: in the crop's pixels, with the crop's lineage. */
function on(crop: WorkflowImage, rows: Row[]): Detections {
  return detectionsOnImage(
    {
      xyxy: rows.flatMap((r) => r.box),
      confidence: rows.map((r) => r.confidence ?? 0.9),
      classId: rows.map((r) => (r.cls ?? PERSON)[0]),
      className: rows.map((r) => (r.cls ?? PERSON)[1]),
      masks: rows.some((r) => r.mask) ? rows.map((r) => (r.mask ? rectMask(crop.width, crop.height, r.mask) : null)) : undefined,
      keypoints: rows.some((r) => r.keypoints) ? rows.map((r) => r.keypoints?.map(keypoint) ?? null) : undefined,
      data: { prediction_type: rows.map(() => (rows.some((r) => r.keypoints) ? "keypoint-detection" : "object-detection")) },
    },
    crop,
  );
}

function keypoint([x, y]: [number, number], j: number): Keypoint {
  return { x, y, confidence: 0.5 + 0.1 * j, classId: j, className: ["nose", "left_eye", "right_eye"][j]! };
}

function cropOf([x1, y1, x2, y2]: [number, number, number, number]): WorkflowImage {
  return frame.crop(Math.round(x1), Math.round(y1), Math.round(x2), Math.round(y2), `crop-${x1}-${y1}`);
}

async function rollUp(parent: Detections, children: (Detections | null)[], params: Record<string, unknown> = {}) {
  const out = await runBlock(detectionsListRollUpBlock, { parent_detection: parent, child_detections: children, ...params });
  return { detections: out["rolled_up_detections"] as Detections, zones: out["crop_zones"] as number[][][] };
}

/** One crop at `crop` of the frame with these detections on it. */
async function rollUpOne(crop: [number, number, number, number], rows: Row[], params: Record<string, unknown> = {}) {
  return rollUp(parentOf(crop), [on(cropOf(crop), rows)], params);
}

function pixels(d: Detections, i: number): number {
  return maskExtent(d.masks![i]!).area;
}

describe("DetectionsListRollUp manifest", () => {
  it("has Roboflow's id, alias, defaults and outputs", () => {
    const { manifest } = detectionsListRollUpBlock;
    expect(manifest.type).toBe("roboflow_core/detections_list_rollup@v1");
    expect(manifest.aliases).toEqual(["DetectionsListRollUp"]);
    expect(manifest.family).toBe("fusion");
    expect(manifest.fields["confidence_strategy"]!.default).toBe("max");
    expect(manifest.fields["overlap_threshold"]!.default).toBe(0);
    expect(manifest.fields["keypoint_merge_threshold"]!.default).toBe(10);
    expect(manifest.fields["child_detections"]!.kinds).toEqual(["list_of_values"]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(["rolled_up_detections", "crop_zones"]);
  });
});

describe("DetectionsListRollUp on boxes", () => {
  it("moves each crop's detections by its parent box's truncated corner onto the parent's image, with the crop zones", async () => {
    const crop: [number, number, number, number] = [100.7, 50.2, 300, 250];
    const { detections, zones } = await rollUpOne(crop, [
      { box: [10, 10, 50, 50], confidence: 0.85 },
      { box: [60, 60, 90, 90], confidence: 0.88, cls: BAG },
    ]);
    // Offset (100, 50): int() of the parent box's corner, not the crop's rounding.
    expect(boxes(detections)).toEqual([
      [110, 60, 150, 100],
      [160, 110, 190, 140],
    ]);
    expect(zones).toEqual([
      [
        [100.7, 50.2],
        [300, 50.2],
        [300, 250],
        [100.7, 250],
      ],
    ]);
    expect([...detections.confidence]).toEqual([0.85, 0.88]);
    expect(detections.className).toEqual(["person", "bag"]);
    expect(detections.image).toEqual({ width: 640, height: 480 });
    // On the frame: the frame is their parent and no crop lineage is left.
    expect(detections.parentId).toEqual(["frame", "frame"]);
    expect(detections.data["parent_origin"]).toBeUndefined();
    expect(detections.data["prediction_type"]).toEqual(["object-detection", "object-detection"]);
  });

  it.each([
    ["max", 0.95],
    ["mean", 0.825],
    ["min", 0.7],
  ])("merges two overlapping boxes of a class into their union, confidence by %s", async (strategy, confidence) => {
    const { detections } = await rollUpOne([200, 100, 400, 300], [{ box: [10, 10, 60, 60], confidence: 0.7 }, { box: [30, 30, 80, 80], confidence: 0.95 }], {
      confidence_strategy: strategy,
    });
    expect(boxes(detections)).toEqual([[210, 110, 280, 180]]);
    expect(detections.confidence[0]).toBeCloseTo(confidence, 6);
  });

  it("merges at an IoU of at least overlap_threshold; at 0 any overlap, never a shared edge", async () => {
    // Two 50x50 boxes sharing a 20x20 corner: IoU = 400 / (2500 + 2500 - 400) = 0.0870.
    const pair: Row[] = [{ box: [10, 10, 60, 60] }, { box: [40, 40, 90, 90] }];
    const count = async (overlap_threshold: number, rows = pair) => (await rollUpOne([0, 0, 200, 200], rows, { overlap_threshold })).detections.length;
    expect(await count(0)).toBe(1);
    expect(await count(0.08)).toBe(1);
    expect(await count(0.09)).toBe(2);
    expect(await count(0.5)).toBe(2);
    expect(await count(0, [{ box: [10, 10, 50, 50] }, { box: [50, 10, 90, 50] }])).toBe(2);
  });

  it("chains overlaps: many shifted boxes become one at 0.3, none merge at 0.7", async () => {
    // Six 40x40 boxes, each 5 px right and down of the last: neighbours' IoU 1225 / 1975 = 0.62.
    const rows: Row[] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.6].map((confidence, i) => ({ box: [10 + 5 * i, 10 + 5 * i, 50 + 5 * i, 50 + 5 * i], confidence }));
    const merged = (await rollUpOne([0, 0, 200, 200], rows, { overlap_threshold: 0.3, confidence_strategy: "mean" })).detections;
    expect(boxes(merged)).toEqual([[10, 10, 75, 75]]);
    expect(merged.confidence[0]).toBeCloseTo(4.1 / 6, 6);
    expect((await rollUpOne([0, 0, 200, 200], rows, { overlap_threshold: 0.7 })).detections.length).toBe(6);
  });

  it("merges only within a class, classes in the order they first appear", async () => {
    const { detections } = await rollUpOne([0, 0, 200, 200], [
      { box: [10, 10, 50, 50], cls: BAG, confidence: 0.6 },
      { box: [30, 30, 70, 70], cls: PERSON, confidence: 0.8 },
      { box: [40, 40, 80, 80], cls: BAG, confidence: 0.7 },
    ]);
    expect(detections.className).toEqual(["bag", "person"]);
    expect(boxes(detections)).toEqual([
      [10, 10, 80, 80],
      [30, 30, 70, 70],
    ]);
    expect([...detections.confidence]).toEqual([0.7, 0.8]);
  });

  it("merges an object seen in two overlapping crops, and keeps the first member's data under a new id", async () => {
    const left: [number, number, number, number] = [0, 0, 100, 100];
    const right: [number, number, number, number] = [50, 0, 150, 100];
    const a = on(cropOf(left), [{ box: [60, 10, 90, 40], confidence: 0.6 }]).withData("tracker_id", [7]);
    const b = on(cropOf(right), [{ box: [5, 12, 45, 40], confidence: 0.9 }, { box: [60, 60, 90, 90], cls: BAG }]).withData("tracker_id", [8, 9]);
    const { detections, zones } = await rollUp(parentOf(left, right), [a, b]);
    // b's person moves to [55, 12, 95, 40] and overlaps a's [60, 10, 90, 40].
    expect(boxes(detections)).toEqual([
      [55, 10, 95, 40],
      [110, 60, 140, 90],
    ]);
    expect(detections.confidence[0]).toBe(0.9);
    expect(detections.data["tracker_id"]).toEqual([7, 9]);
    expect(detections.detectionId).not.toContain(a.detectionId[0]);
    expect(new Set(detections.detectionId).size).toBe(2);
    expect(zones).toHaveLength(2);
  });

  it("rolls up nothing from empty or skipped crops; needs one list per parent detection", async () => {
    const crop: [number, number, number, number] = [0, 0, 100, 100];
    const empty = await rollUp(parentOf(crop), [on(cropOf(crop), [])]);
    expect(empty.detections.length).toBe(0);
    expect(empty.zones).toHaveLength(1);
    expect((await rollUp(parentOf(crop), [null])).detections.length).toBe(0);
    const none = await rollUp(parentOf(), []);
    expect([none.detections.length, none.zones]).toEqual([0, []]);
    await expect(rollUp(parentOf(crop, crop), [on(cropOf(crop), [])])).rejects.toMatchObject({ code: "invalid_field" });
    await expect(rollUp(parentOf(crop), [null], { confidence_strategy: "median" })).rejects.toMatchObject({ code: "invalid_field" });
  });
});

describe("DetectionsListRollUp on masks", () => {
  it("moves masks onto the parent's image; the box spans the mask", async () => {
    const { detections } = await rollUpOne([200, 100, 400, 300], [
      { box: [10, 10, 50, 50], mask: [15, 15, 44, 44] },
      { box: [60, 60, 90, 90], mask: [60, 60, 84, 84] },
    ]);
    expect(boxes(detections)).toEqual([
      [215, 115, 245, 145],
      [260, 160, 285, 185],
    ]);
    expect([pixels(detections, 0), pixels(detections, 1)]).toEqual([900, 625]);
    const mask = detections.masks![0]!;
    expect([mask.width, mask.height]).toEqual([640, 480]);
    expect([maskAt(mask, 215, 115), maskAt(mask, 214, 115), maskAt(mask, 244, 144), maskAt(mask, 245, 144)]).toEqual([true, false, true, false]);
    // The polygon is the mask's outline, in the frame's pixels.
    expect(detections.data["points"]![0]).toEqual(
      expect.arrayContaining([
        { x: 215, y: 115 },
        { x: 244, y: 144 },
      ]),
    );
  });

  it("merges masks by their pixels' IoU into their union", async () => {
    // Two 40x40 squares, 20 px apart across two crops: IoU 800 / 2400 = 1/3.
    const left: [number, number, number, number] = [0, 0, 100, 100];
    const right: [number, number, number, number] = [20, 0, 120, 100];
    const children = [on(cropOf(left), [{ box: [10, 10, 50, 50], mask: [10, 10, 49, 49], confidence: 0.6 }]), on(cropOf(right), [{ box: [10, 10, 50, 50], mask: [10, 10, 49, 49], confidence: 0.8 }])];
    const merged = (await rollUp(parentOf(left, right), children, { overlap_threshold: 0.33, confidence_strategy: "min" })).detections;
    expect(boxes(merged)).toEqual([[10, 10, 70, 50]]);
    expect(pixels(merged, 0)).toBe(2400);
    expect(merged.confidence[0]).toBe(0.6);
    expect((await rollUp(parentOf(left, right), children, { overlap_threshold: 0.34 })).detections.length).toBe(2);
  });

  it("compares pixels, not boxes: overlapping boxes with disjoint masks stay apart", async () => {
    const { detections } = await rollUpOne([0, 0, 200, 200], [
      { box: [0, 0, 50, 50], mask: [0, 0, 19, 19] },
      { box: [30, 30, 80, 80], mask: [60, 60, 79, 79] },
    ]);
    expect(detections.length).toBe(2);
    expect(boxes(detections)).toEqual([
      [0, 0, 20, 20],
      [60, 60, 80, 80],
    ]);
  });

  it("a detection without a mask among masked ones stands for its box's pixels", async () => {
    const { detections } = await rollUpOne([0, 0, 200, 200], [{ box: [10, 10, 30, 30], mask: [10, 10, 29, 29] }, { box: [20, 20, 40, 40] }]);
    // 400 + 400 - 100 pixels.
    expect(boxes(detections)).toEqual([[10, 10, 40, 40]]);
    expect(pixels(detections, 0)).toBe(700);
  });
});

describe("DetectionsListRollUp on keypoints", () => {
  const person: [number, number][] = [
    [20, 25],
    [15, 35],
    [25, 35],
  ];
  // Every keypoint 3 right and 4 down: 5 px away, so 5 px on average.
  const near = person.map(([x, y]): [number, number] => [x + 3, y + 4]);

  it("merges detections whose keypoints lie on average closer than keypoint_merge_threshold into their mean", async () => {
    const rows: Row[] = [
      { box: [10, 10, 50, 50], confidence: 0.85, keypoints: person },
      { box: [14, 12, 54, 56], confidence: 0.88, keypoints: near },
    ];
    const { detections } = await rollUpOne([100, 100, 300, 300], rows);
    expect(boxes(detections)).toEqual([[112, 111, 152, 153]]);
    expect(detections.confidence[0]).toBe(0.88);
    expect(detections.keypoints![0]).toEqual([
      { x: 121.5, y: 127, confidence: 0.5, classId: 0, className: "nose" },
      { x: 116.5, y: 137, confidence: 0.6, classId: 1, className: "left_eye" },
      { x: 126.5, y: 137, confidence: 0.7, classId: 2, className: "right_eye" },
    ]);
    // Strictly closer: at 5 px they stay apart.
    expect((await rollUpOne([100, 100, 300, 300], rows, { keypoint_merge_threshold: 5 })).detections.length).toBe(2);
    expect((await rollUpOne([100, 100, 300, 300], rows, { keypoint_merge_threshold: 5.01 })).detections.length).toBe(1);
  });

  it("goes by keypoints, not boxes; detections without keypoints stay alone, after the merged ones", async () => {
    const far = person.map(([x, y]): [number, number] => [x + 30, y]);
    const { detections } = await rollUpOne([0, 0, 200, 200], [
      { box: [10, 10, 50, 50], confidence: 0.5 },
      { box: [10, 10, 50, 50], keypoints: person },
      { box: [12, 10, 52, 50], keypoints: far },
      { box: [10, 10, 50, 50], keypoints: near },
    ]);
    // The box-only one overlaps all, and the far person's box nearly equals the others'.
    expect(detections.length).toBe(3);
    expect(detections.keypoints!.map((k) => k?.[0]?.x ?? null)).toEqual([21.5, 50, null]);
    expect(detections.confidence[2]).toBe(0.5);
  });
});

describe("DetectionsListRollUp in a workflow", () => {
  const engine = new WorkflowEngine({ registry: new BlockRegistry([fakeDetector, dynamicCropBlock, dimensionCollapseBlock, detectionsListRollUpBlock] as Block[]) });

  it("rolls a second model's predictions on the crops back onto the frame", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "test/fake_detector@v1", name: "people", image: "$inputs.image" },
        { type: "roboflow_core/dynamic_crop@v1", name: "crops", images: "$inputs.image", predictions: "$steps.people.predictions" },
        { type: "test/fake_detector@v1", name: "bags", image: "$steps.crops.crops" },
        { type: "DimensionCollapse", name: "collapse", data: "$steps.bags.predictions" },
        { type: "DetectionsListRollUp", name: "rollup", parent_detection: "$steps.people.predictions", child_detections: "$steps.collapse.output" },
      ],
      outputs: [
        { type: "JsonField", name: "rolled", selector: "$steps.rollup.rolled_up_detections" },
        { type: "JsonField", name: "zones", selector: "$steps.rollup.crop_zones" },
      ],
    };
    const result = await engine.run(definition, { image: frame }, { serialize: false });
    const out = result.outputs[0]!;
    const rolled = out["rolled"] as Detections;
    // The stand-in finds [5, 5, 25, 15] in the frame, and again in its 20x10 crop: (5, 5) further on.
    expect(boxes(rolled)).toEqual([[10, 10, 30, 20]]);
    expect(rolled.parentId).toEqual(["frame"]);
    expect(out["zones"]).toEqual([
      [
        [5, 5],
        [25, 5],
        [25, 15],
        [5, 15],
      ],
    ]);
  });
});
