import { describe, expect, it } from "vitest";
import { Detections, type Block } from "@cvflow/engine";
import { blurVisualizationBlock } from "../src/visualizations/blur.js";
import { maskVisualizationBlock } from "../src/visualizations/mask.js";
import { pixelateVisualizationBlock } from "../src/visualizations/pixelate.js";
import { polygonVisualizationBlock } from "../src/visualizations/polygon.js";
import { polygonVisualizationV2Block } from "../src/visualizations/polygon.js";
import { makeDetections, rectMask } from "./detections-fixture.js";
import { changedPixels, patternImage, pixel, plainImage, PURPLE, visualize } from "./visualization-fixtures.js";

const GRAY = [100, 100, 100];
const square = (points: [number, number][]) => points.map(([x, y]) => ({ x, y }));

describe("MaskVisualization", () => {
  const size = { width: 20, height: 20 };

  it("blends each mask with its colour at the opacity and leaves every other pixel alone", async () => {
    const { manifest } = maskVisualizationBlock;
    expect([manifest.type, manifest.aliases, manifest.fields["opacity"]!.default, manifest.fields["predictions"]!.kinds]).toEqual([
      "roboflow_core/mask_visualization@v1",
      ["MaskVisualization"],
      0.5,
      ["instance_segmentation_prediction"],
    ]);
    const image = plainImage(20, 20, GRAY);
    const predictions = makeDetections([{ box: [2, 2, 5, 5], cls: "a", confidence: 1, mask: rectMask(20, 20, [2, 2, 5, 5]) }], size);
    const out = await visualize(maskVisualizationBlock, { image, predictions, opacity: 0.25 });
    // 163 * 0.25 + 100 * 0.75 = 115.75, 81 -> 95.25, 251 -> 137.75
    expect(pixel(out, 2, 2)).toEqual([116, 95, 138]);
    expect(pixel(out, 5, 5)).toEqual([116, 95, 138]);
    expect(changedPixels(image, out)).toHaveLength(16);
    const half = await visualize(maskVisualizationBlock, { image, predictions });
    // 131.5 -> 132, 90.5 -> 90, 175.5 -> 176: ties go to the even neighbour, as cv2.addWeighted rounds.
    expect(pixel(half, 3, 3)).toEqual([132, 90, 176]);
  });

  it("puts the smaller mask on top where masks overlap", async () => {
    const image = plainImage(20, 20, GRAY);
    const predictions = makeDetections(
      [
        { box: [2, 2, 4, 4], cls: "small", classId: 1, confidence: 1, mask: rectMask(20, 20, [2, 2, 4, 4]) },
        { box: [0, 0, 9, 9], cls: "big", classId: 0, confidence: 1, mask: rectMask(20, 20, [0, 0, 9, 9]) },
      ],
      size,
    );
    const out = await visualize(maskVisualizationBlock, { image, predictions, opacity: 0.25 });
    // Red (255, 64, 64) over gray at 0.25: 138.75, 91, 91.
    expect(pixel(out, 3, 3)).toEqual([139, 91, 91]);
    expect(pixel(out, 7, 7)).toEqual([116, 95, 138]);
    expect(pixel(out, 10, 10)).toEqual(GRAY);
  });

  it("fills the polygon of a detection that has no mask, outline included", async () => {
    const image = plainImage(20, 20, GRAY);
    const predictions = makeDetections(
      [{ box: [2, 2, 5, 5], cls: "a", confidence: 1, data: { points: square([[2, 2], [5, 2], [5, 5], [2, 5]]) } }],
      size,
    );
    const out = await visualize(maskVisualizationBlock, { image, predictions, opacity: 0.25 });
    expect(changedPixels(image, out).sort()).toEqual(Array.from({ length: 16 }, (_, i) => [2 + (i % 4), 2 + Math.floor(i / 4)]).sort());
  });

  it("covers exactly the mask's pixels whatever its width and however its runs fall", async () => {
    // 13 pixels wide (rows not aligned to 4 bytes), runs of every length at every offset.
    const width = 13;
    const height = 9;
    const data = Uint8Array.from({ length: width * height }, (_, i) => (i % 7 < 3 || i % 11 === 0 ? 1 : 0));
    const image = plainImage(width, height, GRAY);
    const window = { left: 0, top: 0, columns: width, rows: height };
    const predictions = makeDetections([{ box: [0, 0, 12, 8], cls: "a", confidence: 1, mask: { width, height, ...window, data } }], { width, height });
    const out = await visualize(maskVisualizationBlock, { image, predictions });
    const expected = Array.from(data.keys()).filter((i) => data[i]).map((i) => [i % width, Math.floor(i / width)]);
    expect(changedPixels(image, out)).toEqual(expected);
    // The same mask one byte into its buffer (not word-aligned).
    const shifted = new Uint8Array(data.length + 1).subarray(1);
    shifted.set(data);
    const again = makeDetections([{ box: [0, 0, 12, 8], cls: "a", confidence: 1, mask: { width, height, ...window, data: shifted } }], { width, height });
    expect(changedPixels(image, await visualize(maskVisualizationBlock, { image, predictions: again }))).toEqual(expected);
    // The same bytes as the window at (5, 3) of a larger image: the same pixels, moved.
    const larger = plainImage(width + 9, height + 6, GRAY);
    const placed = makeDetections([{ box: [5, 3, 17, 11], cls: "a", confidence: 1, mask: { width: width + 9, height: height + 6, left: 5, top: 3, columns: width, rows: height, data } }], { width: width + 9, height: height + 6 });
    expect(changedPixels(larger, await visualize(maskVisualizationBlock, { image: larger, predictions: placed }))).toEqual(expected.map(([x, y]) => [x! + 5, y! + 3]));
  });

  it("leaves the image alone for detections with neither mask nor polygon", async () => {
    const image = plainImage(20, 20, GRAY);
    const out = await visualize(maskVisualizationBlock, { image, predictions: makeDetections([{ box: [2, 2, 5, 5], cls: "a", confidence: 1 }], size) });
    expect(changedPixels(image, out)).toEqual([]);
  });
});

describe("PolygonVisualization", () => {
  const size = { width: 20, height: 20 };
  const masked = makeDetections([{ box: [5, 5, 14, 14], cls: "a", confidence: 1, mask: rectMask(20, 20, [5, 5, 14, 14]) }], size);

  it("v1 and v2 are registered with Roboflow's ids; v1 under its alias", () => {
    expect([polygonVisualizationBlock.manifest.type, polygonVisualizationBlock.manifest.aliases]).toEqual([
      "roboflow_core/polygon_visualization@v1",
      ["PolygonVisualization"],
    ]);
    expect(polygonVisualizationV2Block.manifest.type).toBe("roboflow_core/polygon_visualization@v2");
    expect(polygonVisualizationV2Block.manifest.aliases).toBeUndefined();
    expect(polygonVisualizationBlock.manifest.fields["thickness"]!.default).toBe(2);
  });

  it("outlines a mask on its border pixels at thickness 1", async () => {
    const image = plainImage(20, 20);
    const out = await visualize(polygonVisualizationBlock, { image, predictions: masked, thickness: 1 });
    // The 10 x 10 square's border: 36 pixels.
    expect(changedPixels(image, out)).toHaveLength(36);
    for (const [x, y] of [[5, 5], [14, 5], [9, 14], [5, 9]]) expect(pixel(out, x!, y!)).toEqual(PURPLE);
    for (const [x, y] of [[6, 6], [4, 5], [15, 14]]) expect(pixel(out, x!, y!)).not.toEqual(PURPLE);
  });

  it("widens the outline one pixel either side at thickness 2", async () => {
    const out = await visualize(polygonVisualizationV2Block, { image: plainImage(20, 20), predictions: masked });
    for (const [x, y] of [[4, 9], [5, 9], [6, 9], [9, 4], [9, 15]]) expect(pixel(out, x!, y!)).toEqual(PURPLE);
    for (const [x, y] of [[3, 9], [7, 9], [4, 4], [9, 9]]) expect(pixel(out, x!, y!)).not.toEqual(PURPLE);
  });

  it("draws a detection's polygon where it has no mask", async () => {
    const predictions = makeDetections(
      [{ box: [2, 2, 10, 10], cls: "a", confidence: 1, data: { points: square([[2, 2], [10, 2], [10, 10]]) } }],
      size,
    );
    const out = await visualize(polygonVisualizationBlock, { image: plainImage(20, 20), predictions, thickness: 1 });
    for (const [x, y] of [[2, 2], [6, 2], [10, 6], [6, 6]]) expect(pixel(out, x!, y!)).toEqual(PURPLE);
    expect(pixel(out, 2, 10)).not.toEqual(PURPLE);
  });

  it("without mask or polygon: v1 outlines the box, v2 draws nothing", async () => {
    const image = plainImage(20, 20);
    const boxOnly = makeDetections([{ box: [5, 5, 14, 14], cls: "a", confidence: 1 }], size);
    const v1 = await visualize(polygonVisualizationBlock, { image, predictions: boxOnly, thickness: 1 });
    expect(changedPixels(image, v1)).toHaveLength(36);
    const v2 = await visualize(polygonVisualizationV2Block, { image, predictions: boxOnly });
    expect(changedPixels(image, v2)).toEqual([]);
  });
});

describe("BlurVisualization", () => {
  it("averages each pixel of the box over a k x k window; nothing outside the box changes", async () => {
    const { manifest } = blurVisualizationBlock;
    expect([manifest.type, manifest.aliases, manifest.fields["kernel_size"]!.default]).toEqual([
      "roboflow_core/blur_visualization@v1",
      ["BlurVisualization"],
      15,
    ]);
    // Stripes: 90 on odd columns. A 3-wide mean gives 60 on even columns, 30 on odd ones.
    const image = patternImage(40, 40, (x) => (x % 2) * 90);
    const predictions = makeDetections([{ box: [10, 10, 30, 30], cls: "a", confidence: 1 }], { width: 40, height: 40 });
    const out = await visualize(blurVisualizationBlock, { image, predictions, kernel_size: 3 });
    expect(pixel(out, 10, 10)).toEqual([60, 60, 60]);
    expect(pixel(out, 11, 20)).toEqual([30, 30, 30]);
    expect(pixel(out, 29, 29)).toEqual([30, 30, 30]);
    const changed = changedPixels(image, out);
    expect(changed.length).toBe(400);
    expect(changed.every(([x, y]) => x >= 10 && x < 30 && y >= 10 && y < 30)).toBe(true);
  });

  it("mirrors the box's own pixels at its edges, without repeating the edge pixel (BORDER_REFLECT_101)", async () => {
    // Columns 0, 10, 20, 30, 40. At column 0 the window reads columns 1, 0, 1: (10 + 0 + 10) / 3 = 6.7.
    const image = patternImage(5, 3, (x) => 10 * x);
    const predictions = makeDetections([{ box: [0, 0, 5, 3], cls: "a", confidence: 1 }], { width: 5, height: 3 });
    const out = await visualize(blurVisualizationBlock, { image, predictions, kernel_size: 3 });
    expect([0, 1, 2, 3, 4].map((x) => pixel(out, x, 1)[0])).toEqual([7, 10, 20, 30, 33]);
  });
});

describe("PixelateVisualization", () => {
  it("turns the box into uniform pixel_size blocks and leaves the rest alone", async () => {
    const { manifest } = pixelateVisualizationBlock;
    expect([manifest.type, manifest.aliases, manifest.fields["pixel_size"]!.default]).toEqual([
      "roboflow_core/pixelate_visualization@v1",
      ["PixelateVisualization"],
      20,
    ]);
    // 40 x 20 box at pixel size 20: 2 x 1 small pixels, sampled bilinearly at source x 9.5 and
    // 29.5: (36 + 40) / 2 = 38 and (116 + 120) / 2 = 118.
    const image = patternImage(50, 30, (x) => 4 * x);
    const predictions = makeDetections([{ box: [0, 0, 40, 20], cls: "a", confidence: 1 }], { width: 50, height: 30 });
    const out = await visualize(pixelateVisualizationBlock, { image, predictions });
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 40; x++) expect(pixel(out, x, y)[0]).toBe(x < 20 ? 38 : 118);
    }
    expect(changedPixels(image, out).every(([x, y]) => x < 40 && y < 20)).toBe(true);
    expect(pixel(out, 45, 10)).toEqual([180, 180, 180]);
  });

  it("keeps a box smaller than half a block as one block instead of failing", async () => {
    const image = patternImage(20, 20, (x, y) => x + y);
    const predictions = makeDetections([{ box: [2, 2, 6, 6], cls: "a", confidence: 1 }], { width: 20, height: 20 });
    const out = await visualize(pixelateVisualizationBlock, { image, predictions });
    const block = new Set(Array.from({ length: 16 }, (_, i) => pixel(out, 2 + (i % 4), 2 + Math.floor(i / 4))[0]));
    expect(block.size).toBe(1);
  });
});

describe("empty predictions", () => {
  const blocks: [string, Block][] = [
    ["mask", maskVisualizationBlock],
    ["polygon v1", polygonVisualizationBlock],
    ["polygon v2", polygonVisualizationV2Block],
    ["blur", blurVisualizationBlock],
    ["pixelate", pixelateVisualizationBlock],
  ];
  for (const [name, block] of blocks) {
    it(`${name}: the image comes back unchanged`, async () => {
      const image = patternImage(16, 12, (x, y) => x * y);
      const out = await visualize(block as never, { image, predictions: Detections.empty({ width: 16, height: 12 }) });
      expect(changedPixels(image, out)).toEqual([]);
    });
  }
});
