import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { imageSlicerBlock, imageSlicerV2Block, sliceOffsetsV1, sliceOffsetsV2 } from "../src/transformations/image_slicer.js";
import { runBlock } from "./detections-fixture.js";
import { region, synthetic } from "./image-fixtures.js";

const grid = (imageWidth: number, imageHeight: number, slice = 640, overlap = 0.2) => ({
  imageWidth,
  imageHeight,
  sliceWidth: slice,
  sliceHeight: slice,
  overlapRatioWidth: overlap,
  overlapRatioHeight: overlap,
});

async function slices(block: typeof imageSlicerBlock, image: WorkflowImage, params: Record<string, unknown> = {}): Promise<(WorkflowImage | null)[]> {
  const records = (await runBlock(block, { image, ...params })) as unknown as { slices: WorkflowImage | null }[];
  return records.map((r) => r.slices);
}

describe("ImageSlicer", () => {
  it("adds a dimension, with SAHI's defaults", () => {
    for (const [block, version] of [[imageSlicerBlock, "v1"], [imageSlicerV2Block, "v2"]] as const) {
      const { manifest } = block;
      expect(manifest.type).toBe(`roboflow_core/image_slicer@${version}`);
      expect(manifest.outputDimensionOffset).toBe(1);
      expect(manifest.fields["image"]!.aliases).toEqual(["images"]);
      expect([manifest.fields["slice_width"]!.default, manifest.fields["slice_height"]!.default]).toEqual([640, 640]);
      expect([manifest.fields["overlap_ratio_width"]!.default, manifest.fields["overlap_ratio_height"]!.default]).toEqual([0.2, 0.2]);
      expect(manifest.outputs).toEqual([{ name: "slices", kinds: ["image"] }]);
    }
  });

  it("v1 tiles 1920 x 1280 with a 512 px stride: 4 x 3 slices, the last ones cut short", () => {
    // Overlap int(0.2 * 640) = 128, so starts at 0, 512, 1024, 1536 across and 0, 512, 1024 down.
    expect(sliceOffsetsV1(grid(1920, 1280))).toEqual([
      [0, 0, 640, 640], [512, 0, 1152, 640], [1024, 0, 1664, 640], [1536, 0, 1920, 640],
      [0, 512, 640, 1152], [512, 512, 1152, 1152], [1024, 512, 1664, 1152], [1536, 512, 1920, 1152],
      [0, 1024, 640, 1280], [512, 1024, 1152, 1280], [1024, 1024, 1664, 1280], [1536, 1024, 1920, 1280],
    ]);
  });

  it("v2 pushes the last slices back inside: 12 full 640 x 640 slices", () => {
    const boxes = sliceOffsetsV2(grid(1920, 1280));
    expect(boxes.map(([x1, y1]) => [x1, y1])).toEqual([0, 512, 640].flatMap((y) => [0, 512, 1024, 1280].map((x) => [x, y])));
    expect(boxes.every(([x1, y1, x2, y2]) => x2 - x1 === 640 && y2 - y1 === 640)).toBe(true);
  });

  it("v2 shrinks slices to a small image and drops the duplicates that leaves", () => {
    // 700 x 100, overlap 0.9: stride 64 across gives 11 starts, all but the first moved back to 60;
    // the slice height shrinks to 100 with every start moved back to 0.
    expect(sliceOffsetsV2(grid(700, 100, 640, 0.9))).toEqual([
      [0, 0, 640, 100],
      [60, 0, 700, 100],
    ]);
    // v1 keeps 640 px slices: a 64 px stride both ways, 11 starts across and 2 (0, 64) down.
    expect(sliceOffsetsV1(grid(700, 100, 640, 0.9))).toHaveLength(11 * 2);
  });

  it("cuts slices as child images placed by their offsets", async () => {
    const image = synthetic(300, 200, 3, (x, y, c) => (x + 2 * y + c) % 256);
    const cut = await slices(imageSlicerBlock, image, { slice_width: 128, slice_height: 128 });
    // Overlap 25 px (int(25.6)): starts 0, 103, 206 across, 0, 103 down.
    expect(cut.map((s) => [s!.lineage.parentOrigin!.offset_x, s!.lineage.parentOrigin!.offset_y, s!.width, s!.height])).toEqual([
      [0, 0, 128, 128], [103, 0, 128, 128], [206, 0, 94, 128],
      [0, 103, 128, 97], [103, 103, 128, 97], [206, 103, 94, 97],
    ]);
    const last = cut[5]!;
    expect(Buffer.from(last.pixels.data).equals(Buffer.from(region(image, 206, 103, 300, 200)))).toBe(true);
    expect(last.lineage.parentId).toMatch(/^image_slicer\./);
    expect(last.lineage.parentOrigin).toEqual({ offset_x: 206, offset_y: 103, width: 300, height: 200 });
    expect(new Set(cut.map((s) => s!.lineage.parentId)).size).toBe(6);
  });

  it("places slices of a crop in the root image", async () => {
    const root = synthetic(300, 200, 1, () => 0);
    const crop = root.crop(50, 40, 250, 190, "crop");
    const cut = await slices(imageSlicerV2Block, crop, { slice_width: 128, slice_height: 128 });
    const last = cut.at(-1)!;
    // v2 on 200 x 150: starts 0, 103 across (103 + 128 > 200 moves back to 72) and 0, 103 down (moves back to 22).
    expect(last.lineage.parentOrigin).toEqual({ offset_x: 72, offset_y: 22, width: 200, height: 150 });
    expect(last.lineage.rootOrigin).toEqual({ offset_x: 122, offset_y: 62, width: 300, height: 200 });
  });
});
