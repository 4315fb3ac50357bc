import { describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import { detectionOffsetBlock } from "../src/transformations/detection_offset.js";
import { boxes, makeDetections, runBlock } from "./detections-fixture.js";

const input = makeDetections([
  { box: [100, 100, 200, 150], cls: "car", confidence: 0.9, id: "a", parent: "image" },
  { box: [2, 460, 50, 479], cls: "dog", confidence: 0.8, id: "b", parent: "image" },
]);

async function offset(params: { offset_width: number; offset_height: number; units?: "Pixels" | "Percent (%)" }, predictions = input): Promise<Detections> {
  return (await runBlock(detectionOffsetBlock, { predictions, ...params }))["predictions"] as Detections;
}

describe("DetectionOffset", () => {
  it("is known by its alias and offsets in pixels by default", () => {
    expect(detectionOffsetBlock.manifest.aliases).toEqual(["DetectionOffset"]);
    expect(detectionOffsetBlock.manifest.fields["units"]!.default).toBe("Pixels");
  });

  it("pads by half the pixel offset on each side, clipped to the image", async () => {
    const out = await offset({ offset_width: 10, offset_height: 7 });
    // 7 px of height: 3 px above and 3 below (the half is floored).
    expect(boxes(out)).toEqual([
      [95, 97, 205, 153],
      [0, 457, 55, 480],
    ]);
  });

  it("pads by a percentage of each box's own size, truncated to whole pixels", async () => {
    const out = await offset({ offset_width: 50, offset_height: 25, units: "Percent (%)" });
    // Box a is 100 x 50: 25 px a side horizontally, trunc(6.25) = 6 px vertically.
    // Box b is 48 x 19: 12 px a side horizontally, trunc(2.375) = 2 px vertically.
    expect(boxes(out)).toEqual([
      [75, 94, 225, 156],
      [0, 458, 62, 480],
    ]);
  });

  it("makes new detections whose parents are the originals, keeping everything else", async () => {
    const out = await offset({ offset_width: 10, offset_height: 10 });
    expect(out.parentId).toEqual(["a", "b"]);
    expect(out.detectionId).toHaveLength(2);
    expect(out.detectionId).not.toContain("a");
    expect(out.detectionId).not.toContain("b");
    expect(new Set(out.detectionId).size).toBe(2);
    expect(out.className).toEqual(["car", "dog"]);
    expect([...out.confidence]).toEqual([0.9, 0.8]);
    expect(out.image).toEqual({ width: 640, height: 480 });
  });

  it("clips only at zero when the image size is unknown", async () => {
    const unknown = makeDetections([{ box: [2, 2, 700, 500], cls: "car", confidence: 1 }], { width: 0, height: 0 });
    expect(boxes(await offset({ offset_width: 10, offset_height: 10 }, unknown))).toEqual([[0, 0, 705, 505]]);
  });
});
