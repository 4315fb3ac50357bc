import { describe, expect, it } from "vitest";
import type { BitMask, Detections } from "@cvflow/engine";
import { maskAt, type WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../src/common/lineage.js";
import { detectionsStitchBlock } from "../src/fusion/detections_stitch.js";
import { boxes, rectMask, runBlock } from "./detections-fixture.js";
import { synthetic } from "./image-fixtures.js";

/** A 1000 x 600 reference image cut into two overlapping 600 x 600 slices. */
const reference = synthetic(1000, 600, 1, () => 0, "reference");
const left = reference.crop(0, 0, 600, 600, "left");
const right = reference.crop(400, 0, 1000, 600, "right");

interface Row {
  box: [number, number, number, number];
  cls: [number, string];
  confidence: number;
  id: string;
  mask?: [number, number, number, number];
}

function on(slice: WorkflowImage, rows: Row[]): Detections {
  const withMasks = rows.some((r) => r.mask);
  return detectionsOnImage(
    {
      xyxy: rows.flatMap((r) => r.box),
      confidence: rows.map((r) => r.confidence),
      classId: rows.map((r) => r.cls[0]),
      className: rows.map((r) => r.cls[1]),
      detectionId: rows.map((r) => r.id),
      masks: withMasks ? rows.map((r) => (r.mask ? rectMask(slice.width, slice.height, r.mask) : null)) : undefined,
    },
    slice,
  );
}

const PERSON: [number, string] = [0, "person"];
const CAR: [number, string] = [2, "car"];
const DOG: [number, string] = [16, "dog"];

// In reference coordinates: A [450,100,590,200] and A' [460,105,600,205] are the same car seen by
// both slices; their IoU is 130·95 / (2·14000 − 12350) = 12350 / 15650 ≈ 0.789. D has A's box but is a dog.
const leftRows: Row[] = [
  { box: [450, 100, 590, 200], cls: CAR, confidence: 0.9, id: "A", mask: [450, 100, 589, 199] },
  { box: [10, 10, 50, 50], cls: PERSON, confidence: 0.8, id: "B" },
];
const rightRows: Row[] = [
  { box: [60, 105, 200, 205], cls: CAR, confidence: 0.7, id: "A'", mask: [60, 105, 199, 204] },
  { box: [300, 300, 400, 400], cls: CAR, confidence: 0.6, id: "C" },
  { box: [60, 105, 200, 205], cls: DOG, confidence: 0.5, id: "D" },
];

async function stitch(params: Record<string, unknown>, rows: [Row[], Row[]] = [leftRows.map(noMask), rightRows.map(noMask)]): Promise<Detections> {
  const predictions = [on(left, rows[0]), on(right, rows[1])];
  return (await runBlock(detectionsStitchBlock, { reference_image: reference, predictions, ...params }))["predictions"] as Detections;
}

function noMask({ mask: _mask, ...row }: Row): Row {
  return row;
}

describe("DetectionsStitch", () => {
  it("takes predictions one dimension down, NMS at 0.3 by default", () => {
    const { manifest } = detectionsStitchBlock;
    expect(manifest.type).toBe("roboflow_core/detections_stitch@v1");
    expect(manifest.fields["predictions"]!.dimensionOffset).toBe(1);
    expect(manifest.fields["reference_image"]!.dimensionOffset).toBeUndefined();
    expect(manifest.fields["overlap_filtering_strategy"]!.default).toBe("nms");
    expect(manifest.fields["iou_threshold"]!.default).toBe(0.3);
  });

  it("moves every slice's detections by the slice's offset (none keeps them all)", async () => {
    const out = await stitch({ overlap_filtering_strategy: "none" });
    expect(out.detectionId).toEqual(["A", "B", "A'", "C", "D"]);
    expect(boxes(out)).toEqual([
      [450, 100, 590, 200],
      [10, 10, 50, 50],
      [460, 105, 600, 205],
      [700, 300, 800, 400],
      [460, 105, 600, 205],
    ]);
    expect(out.image).toEqual({ width: 1000, height: 600 });
    expect(out.parentId.every((p) => p === "reference")).toBe(true);
    // On an input image the detections carry no crop lineage any more.
    expect(out.data["parent_origin"]).toBeUndefined();
  });

  it("nms drops the less confident car of the overlapping pair, per class, keeping order", async () => {
    const out = await stitch({});
    expect(out.detectionId).toEqual(["A", "B", "C", "D"]);
    // Above the pair's IoU nothing is dropped.
    expect((await stitch({ iou_threshold: 0.8 })).length).toBe(5);
  });

  it("nmm merges the pair into its union box with area-weighted confidence", async () => {
    const out = await stitch({ overlap_filtering_strategy: "nmm" });
    // Groups by class id (person, car, dog), the most confident first within a class.
    expect(out.detectionId).toEqual(["B", "A", "C", "D"]);
    expect(boxes(out)[1]).toEqual([450, 100, 600, 205]);
    // Both boxes are 140 x 100: (14000 · 0.9 + 14000 · 0.7) / 28000.
    expect(out.confidence[1]).toBeCloseTo(0.8, 12);
    expect(out.className[1]).toBe("car");
    expect(out.length).toBe(4);
  });

  it("moves masks onto the reference image and merges them too", async () => {
    const none = await stitch({ overlap_filtering_strategy: "none" }, [leftRows, rightRows]);
    const moved = none.masks![2]!;
    expect([moved.width, moved.height]).toEqual([1000, 600]);
    expect(count(moved)).toBe(140 * 100);
    expect([maskAt(moved, 460, 105), maskAt(moved, 459, 105), maskAt(moved, 599, 204), maskAt(moved, 600, 204)]).toEqual([true, false, true, false]);
    // Moved with its bytes: 140 x 100 of them, not the reference's 1000 x 600.
    expect([moved.left, moved.top, moved.data.byteLength]).toEqual([460, 105, 140 * 100]);

    // Mask IoU of the pair: 12350 / 15650; merged, the mask is their union.
    const merged = await stitch({ overlap_filtering_strategy: "nmm" }, [leftRows, rightRows]);
    expect(merged.detectionId).toEqual(["B", "A", "C", "D"]);
    expect(count(merged.masks![1]!)).toBe(15650);
    const nms = await stitch({ overlap_filtering_strategy: "nms" }, [leftRows, rightRows]);
    expect(nms.detectionId).toEqual(["A", "B", "C", "D"]);
  });

  it("skips pieces that were skipped (null) and stitches nothing into empty detections", async () => {
    const out = (await runBlock(detectionsStitchBlock, { reference_image: reference, predictions: [null, on(right, rightRows.map(noMask))] }))["predictions"] as Detections;
    expect(out.detectionId).toEqual(["A'", "C", "D"]);
    const empty = (await runBlock(detectionsStitchBlock, { reference_image: reference, predictions: [] }))["predictions"] as Detections;
    expect(empty.length).toBe(0);
    expect(empty.image).toEqual({ width: 1000, height: 600 });
  });

  it("gives stitched detections the reference's own lineage when it is a crop itself", async () => {
    const piece = reference.crop(100, 50, 900, 550, "piece");
    const sub = piece.crop(200, 100, 600, 400, "sub");
    const d = detectionsOnImage({ xyxy: [10, 20, 30, 40], confidence: [0.9], classId: [0], className: ["person"], detectionId: ["p"] }, sub);
    const out = (await runBlock(detectionsStitchBlock, { reference_image: piece, predictions: [d] }))["predictions"] as Detections;
    expect(boxes(out)).toEqual([[210, 120, 230, 140]]);
    expect(out.parentId).toEqual(["piece"]);
    expect(out.data["root_parent_origin"]).toEqual([{ offset_x: 100, offset_y: 50, width: 1000, height: 600 }]);
  });
});

function count(mask: BitMask): number {
  return mask.data.reduce((s, v) => s + v, 0);
}
