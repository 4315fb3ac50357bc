import { describe, expect, it } from "vitest";
import type { Detections, ParentOrigin } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { detectionsOnImage } from "../src/common/lineage.js";
import { absoluteStaticCropBlock } from "../src/transformations/absolute_static_crop.js";
import { dynamicCropBlock } from "../src/transformations/dynamic_crop.js";
import { relativeStaticCropBlock } from "../src/transformations/relative_static_crop.js";
import { boxes, makeDetections, rectMask, runBlock } from "./detections-fixture.js";
import { photo, region, synthetic } from "./image-fixtures.js";

/** 100 x 80 RGB whose pixels say where they are. */
const scene = synthetic(100, 80, 3, (x, y, c) => (x * 2 + y * 3 + c * 50) % 256);

async function crops(params: Record<string, unknown>): Promise<{ crops: WorkflowImage | null; predictions: Detections | null }[]> {
  return (await runBlock(dynamicCropBlock, params)) as unknown as { crops: WorkflowImage | null; predictions: Detections | null }[];
}

async function staticCrop(block: typeof absoluteStaticCropBlock | typeof relativeStaticCropBlock, params: Record<string, unknown>): Promise<WorkflowImage | null> {
  return (await runBlock(block, params))["crops"] as WorkflowImage | null;
}

describe("AbsoluteStaticCrop", () => {
  it("keeps the dimension: one crop per image", () => {
    const { manifest } = absoluteStaticCropBlock;
    expect(manifest.aliases).toEqual(["AbsoluteStaticCrop"]);
    expect(manifest.outputDimensionOffset).toBeUndefined();
    expect(manifest.fields["images"]!.aliases).toEqual(["image"]);
    expect(manifest.outputs).toEqual([{ name: "crops", kinds: ["image"] }]);
  });

  it.skipIf(missing("crop of crowd.jpg", { photos: ["roboflow/crowd.jpg"] }))("cuts crowd[106:318, 160:480] for centre (320, 212), size 320 x 212", async () => {
    const crowd = await photo("roboflow/crowd.jpg");
    const crop = (await staticCrop(absoluteStaticCropBlock, { images: crowd, x_center: 320, y_center: 212, width: 320, height: 212 }))!;
    expect([crop.width, crop.height, crop.channels]).toEqual([320, 212, 3]);
    expect(Buffer.from(crop.pixels.data).equals(Buffer.from(region(crowd, 160, 106, 480, 318)))).toBe(true);
    expect(crop.lineage.parentOrigin).toEqual({ offset_x: 160, offset_y: 106, width: 640, height: 425 });
    expect(crop.lineage.rootParentId).toBe("image");
    expect(crop.lineage.parentId).toMatch(/^absolute_static_crop\.[0-9a-f-]{36}$/);
  });

  it("rounds the corners half to even, as Python's round does", async () => {
    // x: 10 - 3/2 = 8.5 -> 8; y: 5 - 5/2 = 2.5 -> 2.
    const crop = (await staticCrop(absoluteStaticCropBlock, { images: scene, x_center: 10, y_center: 5, width: 3, height: 5 }))!;
    expect(crop.lineage.parentOrigin).toMatchObject({ offset_x: 8, offset_y: 2 });
    expect([crop.width, crop.height]).toEqual([3, 5]);
    expect(Buffer.from(crop.pixels.data).equals(Buffer.from(region(scene, 8, 2, 11, 7)))).toBe(true);
  });

  it("clips to the image, and gives null when nothing is left", async () => {
    const clipped = (await staticCrop(absoluteStaticCropBlock, { images: scene, x_center: 95, y_center: 75, width: 20, height: 20 }))!;
    expect([clipped.width, clipped.height]).toEqual([15, 15]);
    expect(await staticCrop(absoluteStaticCropBlock, { images: scene, x_center: 500, y_center: 40, width: 10, height: 10 })).toBeNull();
  });
});

describe("RelativeStaticCrop", () => {
  it("answers to the reference implementation's misspelt id too", () => {
    expect(relativeStaticCropBlock.manifest.type).toBe("roboflow_core/relative_static_crop@v1");
    expect(relativeStaticCropBlock.manifest.aliases).toEqual(["roboflow_core/relative_statoic_crop@v1", "RelativeStaticCrop"]);
  });

  it("scales centre and size to pixels, then crops", async () => {
    // Centre (100, 50), size 50 x 50 on a 200 x 100 image: x 75..125, y 25..75.
    const image = synthetic(200, 100, 3, (x, y) => (x + y) % 256);
    const crop = (await staticCrop(relativeStaticCropBlock, { images: image, x_center: 0.5, y_center: 0.5, width: 0.25, height: 0.5 }))!;
    expect(crop.lineage.parentOrigin).toEqual({ offset_x: 75, offset_y: 25, width: 200, height: 100 });
    expect(Buffer.from(crop.pixels.data).equals(Buffer.from(region(image, 75, 25, 125, 75)))).toBe(true);
    expect(crop.lineage.parentId).toMatch(/^relative_static_crop\./);
  });
});

describe("DynamicCrop", () => {
  const predictions = makeDetections(
    [
      { box: [10.5, 20.4, 40.5, 50.6], cls: "dog", confidence: 0.9, id: "det-a" },
      { box: [60, 10, 90, 70], cls: "cat", confidence: 0.8, id: "det-b" },
    ],
    { width: 100, height: 80 },
  );

  it("adds a dimension and accepts the legacy names", () => {
    const { manifest } = dynamicCropBlock;
    expect(manifest.aliases).toEqual(["DynamicCrop", "Crop"]);
    expect(manifest.outputDimensionOffset).toBe(1);
    expect(manifest.fields["images"]!.aliases).toEqual(["image"]);
    expect(manifest.fields["predictions"]!.aliases).toEqual(["detections"]);
    expect(manifest.fields["mask_opacity"]!.default).toBe(0);
    expect(manifest.fields["background_color"]!.default).toEqual([0, 0, 0]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(["crops", "predictions"]);
  });

  it("cuts each box rounded half to even, the crop's parent being the detection", async () => {
    const [a, b] = await crops({ images: scene, predictions });
    // 10.5 -> 10, 20.4 -> 20, 40.5 -> 40, 50.6 -> 51.
    expect(a!.crops!.lineage.parentOrigin).toEqual({ offset_x: 10, offset_y: 20, width: 100, height: 80 });
    expect(Buffer.from(a!.crops!.pixels.data).equals(Buffer.from(region(scene, 10, 20, 40, 51)))).toBe(true);
    expect(a!.crops!.lineage.parentId).toBe("det-a");
    expect(b!.crops!.lineage.parentId).toBe("det-b");
    expect([b!.crops!.width, b!.crops!.height]).toEqual([30, 60]);
  });

  it("re-expresses each detection in its crop's coordinates, keypoints and lineage included", async () => {
    const withKeypoints = predictions.with({
      keypoints: [[{ x: 20, y: 30, confidence: 0.9, classId: 0, className: "nose" }], null],
    });
    const [a] = await crops({ images: scene, predictions: withKeypoints });
    const own = a!.predictions!;
    boxes(own)[0]!.forEach((v, i) => expect(v).toBeCloseTo([0.5, 0.4, 30.5, 30.6][i]!, 9));
    expect(own.keypoints![0]![0]).toMatchObject({ x: 10, y: 10, className: "nose" });
    expect(own.detectionId).toEqual(["det-a"]);
    expect(own.parentId).toEqual(["det-a"]);
    expect(own.image).toEqual({ width: 30, height: 31 });
    expect(own.data["parent_origin"]).toEqual([{ offset_x: 10, offset_y: 20, width: 100, height: 80 }]);
  });

  it("gives null for a box that rounds to no pixels, as the reference does", async () => {
    const thin = makeDetections([{ box: [5, 5, 5.4, 20], cls: "x", confidence: 1 }], { width: 100, height: 80 });
    expect(await crops({ images: scene, predictions: thin })).toEqual([{ crops: null, predictions: null }]);
  });

  it("with mask_opacity 1 makes every pixel outside the mask exactly the background", async () => {
    const masked = makeDetections([{ box: [10, 10, 50, 40], cls: "dog", confidence: 0.9, mask: rectMask(100, 80, [20, 15, 29, 24]) }], { width: 100, height: 80 });
    const [{ crops: crop, predictions: own }] = (await crops({ images: scene, predictions: masked, mask_opacity: 1, background_color: "#102030" })) as [{ crops: WorkflowImage; predictions: Detections }];
    const { data, width, height } = crop.pixels;
    let outside = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const px = Array.from(data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
        const inMask = x >= 10 && x <= 19 && y >= 5 && y <= 14;
        if (inMask) expect(px).toEqual(Array.from(region(scene, 10 + x, 10 + y, 11 + x, 11 + y)));
        else {
          expect(px).toEqual([0x10, 0x20, 0x30]);
          outside++;
        }
      }
    }
    expect(outside).toBe(40 * 30 - 100);
    // The crop's own prediction carries the mask cut to the crop.
    expect(own.masks![0]).toMatchObject({ width: 40, height: 30, left: 10, top: 5, columns: 10, rows: 10 });
    expect(own.masks![0]!.data.reduce((s, v) => s + v, 0)).toBe(100);
  });

  it("blends toward black by default, rounding half to even like addWeighted", async () => {
    const flat = synthetic(20, 20, 3, () => 101);
    const masked = makeDetections([{ box: [0, 0, 20, 20], cls: "x", confidence: 1, mask: rectMask(20, 20, [0, 0, 9, 19]) }], { width: 20, height: 20 });
    const crop = (await crops({ images: flat, predictions: masked, mask_opacity: 0.5 }))[0]!.crops!;
    // Outside: 0.5 * 0 + 0.5 * 101 = 50.5 -> 50; inside: unchanged.
    expect(Array.from(region(crop, 15, 3, 16, 4))).toEqual([50, 50, 50]);
    expect(Array.from(region(crop, 5, 3, 6, 4))).toEqual([101, 101, 101]);
  });

  it("leaves crops alone when the detections have no masks", async () => {
    const [a] = await crops({ images: scene, predictions, mask_opacity: 1 });
    expect(Buffer.from(a!.crops!.pixels.data).equals(Buffer.from(region(scene, 10, 20, 40, 51)))).toBe(true);
  });

  it("places a crop of a crop in the root image: offsets add up", async () => {
    const outer = (await staticCrop(absoluteStaticCropBlock, { images: scene, x_center: 50, y_center: 40, width: 60, height: 40 }))!;
    expect(outer.lineage.rootOrigin).toEqual({ offset_x: 20, offset_y: 20, width: 100, height: 80 });
    const onOuter = detectionsOnImage({ xyxy: [5, 6, 25, 16], confidence: [0.9], classId: [0], className: ["dog"], detectionId: ["inner"] }, outer);
    const [inner] = await crops({ images: outer, predictions: onOuter });
    expect(inner!.crops!.lineage.parentOrigin).toEqual({ offset_x: 5, offset_y: 6, width: 60, height: 40 });
    expect(inner!.crops!.lineage.rootOrigin).toEqual({ offset_x: 25, offset_y: 26, width: 100, height: 80 });
    expect(Buffer.from(inner!.crops!.pixels.data).equals(Buffer.from(region(scene, 25, 26, 45, 36)))).toBe(true);
    const origin = inner!.predictions!.data["root_parent_origin"]![0] as ParentOrigin;
    expect(origin).toEqual({ offset_x: 25, offset_y: 26, width: 100, height: 80 });
  });

  it("refuses a colour it cannot read", async () => {
    await expect(crops({ images: scene, predictions, background_color: "teal" })).rejects.toThrow(/background_color/);
  });
});
