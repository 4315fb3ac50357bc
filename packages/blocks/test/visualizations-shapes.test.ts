import { describe, expect, it } from "vitest";
import { Detections, type Block } from "@cvflow/engine";
import { WorkflowImage } from "@cvflow/vision";
import { boundingBoxVisualizationBlock } from "../src/visualizations/bounding_box.js";
import { circleVisualizationBlock } from "../src/visualizations/circle.js";
import { colorVisualizationBlock } from "../src/visualizations/color.js";
import { cornerVisualizationBlock } from "../src/visualizations/corner.js";
import { dotVisualizationBlock } from "../src/visualizations/dot.js";
import { makeDetections } from "./detections-fixture.js";
import { changedPixels, PINK, pixel, plainImage, PURPLE, RED, visualize } from "./visualization-fixtures.js";

const BACKGROUND = [10, 20, 30];
const box = (x1: number, y1: number, x2: number, y2: number, classId = 0) =>
  ({ box: [x1, y1, x2, y2] as [number, number, number, number], cls: `c${classId}`, classId, confidence: 0.9 });

describe("BoundingBoxVisualization", () => {
  it("is registered under Roboflow's id and alias with its defaults", () => {
    const { manifest } = boundingBoxVisualizationBlock;
    expect(manifest.type).toBe("roboflow_core/bounding_box_visualization@v1");
    expect(manifest.aliases).toEqual(["BoundingBoxVisualization"]);
    const defaults = Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]));
    expect(defaults).toMatchObject({ copy_image: true, color_palette: "DEFAULT", palette_size: 10, custom_colors: [], color_axis: "CLASS", thickness: 2, roundness: 0 });
    expect(manifest.fields["image"]!.aliases).toEqual(["images"]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(["image"]);
  });

  it("draws thickness 2 as cv2 does: three pixels centred on each edge, round outer corners, interior untouched", async () => {
    const image = plainImage(60, 50);
    const out = await visualize(boundingBoxVisualizationBlock, { image, predictions: makeDetections([box(10, 10, 40, 30)], { width: 60, height: 50 }) });
    // Top and bottom edges at column 25: rows 9-11 and 29-31.
    for (const y of [9, 10, 11, 29, 30, 31]) expect(pixel(out, 25, y)).toEqual(PURPLE);
    for (const y of [8, 12, 20, 28, 32]) expect(pixel(out, 25, y)).toEqual(BACKGROUND);
    // Left and right edges at row 20: columns 9-11 and 39-41.
    for (const x of [9, 10, 11, 39, 40, 41]) expect(pixel(out, x, 20)).toEqual(PURPLE);
    for (const x of [8, 12, 25, 38, 42]) expect(pixel(out, x, 20)).toEqual(BACKGROUND);
    // The outer corner pixel is cut by the one-pixel round cap; its neighbours are on the band.
    expect(pixel(out, 9, 9)).toEqual(BACKGROUND);
    expect(pixel(out, 10, 9)).toEqual(PURPLE);
    expect(pixel(out, 9, 10)).toEqual(PURPLE);
    expect(out.width).toBe(60);
    expect(out.lineage).toEqual(image.lineage);
  });

  it("draws thickness 1 on the box's own edge pixels and thickness 4 two pixels either side", async () => {
    const detections = makeDetections([box(10, 10, 40, 30)], { width: 60, height: 50 });
    const thin = await visualize(boundingBoxVisualizationBlock, { image: plainImage(60, 50), predictions: detections, thickness: 1 });
    expect(changedPixels(plainImage(60, 50), thin)).toHaveLength(2 * 31 + 2 * 19);
    expect(pixel(thin, 10, 10)).toEqual(PURPLE);
    expect(pixel(thin, 40, 30)).toEqual(PURPLE);
    expect(pixel(thin, 11, 11)).toEqual(BACKGROUND);
    const thick = await visualize(boundingBoxVisualizationBlock, { image: plainImage(60, 50), predictions: detections, thickness: 4 });
    for (const y of [8, 9, 10, 11, 12]) expect(pixel(thick, 25, y)).toEqual(PURPLE);
    for (const y of [7, 13]) expect(pixel(thick, 25, y)).toEqual(BACKGROUND);
  });

  it("truncates fractional corners to whole pixels", async () => {
    const out = await visualize(boundingBoxVisualizationBlock, {
      image: plainImage(30, 30),
      predictions: makeDetections([box(5.9, 5.9, 20.7, 20.7)], { width: 30, height: 30 }),
      thickness: 1,
    });
    expect(pixel(out, 5, 10)).toEqual(PURPLE);
    expect(pixel(out, 20, 10)).toEqual(PURPLE);
    expect(pixel(out, 6, 10)).toEqual(BACKGROUND);
  });

  it("colours by class id, by index, by tracker id, or from custom colours", async () => {
    const detections = makeDetections([box(2, 2, 8, 8, 2), box(12, 2, 18, 8, 0), { ...box(22, 2, 28, 8, 0), data: {} }], { width: 30, height: 10 });
    const tracked = detections.withData("tracker_id", [1, 2, 0]);
    const run = (params: Record<string, unknown>) =>
      visualize(boundingBoxVisualizationBlock, { image: plainImage(30, 10), predictions: tracked, thickness: 1, ...params });
    const byClass = await run({});
    expect([pixel(byClass, 2, 5), pixel(byClass, 12, 5), pixel(byClass, 22, 5)]).toEqual([PINK, PURPLE, PURPLE]);
    const byIndex = await run({ color_axis: "INDEX" });
    expect([pixel(byIndex, 2, 5), pixel(byIndex, 12, 5), pixel(byIndex, 22, 5)]).toEqual([PURPLE, RED, PINK]);
    const byTrack = await run({ color_axis: "TRACK" });
    expect([pixel(byTrack, 2, 5), pixel(byTrack, 12, 5), pixel(byTrack, 22, 5)]).toEqual([RED, PINK, PURPLE]);
    const custom = await run({ color_palette: "CUSTOM", custom_colors: ["#00FF00", "rgb(0, 0, 255)"], color_axis: "INDEX" });
    expect([pixel(custom, 2, 5), pixel(custom, 12, 5), pixel(custom, 22, 5)]).toEqual([[0, 255, 0], [0, 0, 255], [0, 255, 0]]);
    const roboflow = await run({ color_palette: "ROBOFLOW" });
    expect(pixel(roboflow, 2, 5)).toEqual([0x83, 0x15, 0xf9]);
  });

  it("refuses TRACK colouring without tracker ids", async () => {
    const predictions = makeDetections([box(2, 2, 8, 8)], { width: 10, height: 10 });
    await expect(visualize(boundingBoxVisualizationBlock, { image: plainImage(10, 10), predictions, color_axis: "TRACK" })).rejects.toMatchObject({
      code: "missing_tracker_id",
    });
  });

  it("rounds corners with roundness: quarter circles of radius roundness * half the shorter side", async () => {
    // 30 x 20 box: radius = (20 // 2) * 1 = 10; the arcs are centred 10 pixels in from each corner.
    const out = await visualize(boundingBoxVisualizationBlock, {
      image: plainImage(60, 50),
      predictions: makeDetections([box(10, 10, 40, 30)], { width: 60, height: 50 }),
      roundness: 1,
    });
    expect(pixel(out, 10, 10)).toEqual(BACKGROUND);
    expect(pixel(out, 12, 10)).toEqual(BACKGROUND);
    expect(pixel(out, 25, 10)).toEqual(PURPLE);
    expect(pixel(out, 10, 20)).toEqual(PURPLE);
    // On the top-left arc: 7 pixels left and up of its centre (20, 20), 9.9 pixels away.
    expect(pixel(out, 13, 13)).toEqual(PURPLE);
    expect(pixel(out, 20, 20)).toEqual(BACKGROUND);
  });

  it("draws the luma of the colour on a one-channel image", async () => {
    const out = await visualize(boundingBoxVisualizationBlock, {
      image: plainImage(20, 20, [0], 1),
      predictions: makeDetections([box(5, 5, 15, 15)], { width: 20, height: 20 }),
      thickness: 1,
    });
    // 0.299 * 163 + 0.587 * 81 + 0.114 * 251 = 124.9
    expect(pixel(out, 5, 10)).toEqual([125]);
    expect(pixel(out, 10, 10)).toEqual([0]);
  });
});

describe("copy_image", () => {
  const predictions = makeDetections([box(5, 5, 15, 15)], { width: 20, height: 20 });

  it("true draws on a copy: the input's pixels stay as they were", async () => {
    const image = plainImage(20, 20);
    const out = await visualize(boundingBoxVisualizationBlock, { image, predictions });
    expect(pixel(out, 5, 10)).toEqual(PURPLE);
    expect(pixel(image, 5, 10)).toEqual(BACKGROUND);
    expect(out.pixels.data).not.toBe(image.pixels.data);
  });

  it("true copies pixels held in a Node Buffer too (as decoded images hold them; Buffer.slice would share)", async () => {
    const plain = plainImage(20, 20);
    const image = new WorkflowImage({ ...plain.pixels, data: Buffer.from(plain.pixels.data) }, plain.lineage);
    await visualize(boundingBoxVisualizationBlock, { image, predictions });
    expect(pixel(image, 5, 10)).toEqual(BACKGROUND);
  });

  it("false draws on the input's own buffer: whoever reads that image afterwards sees the drawing", async () => {
    const image = plainImage(20, 20);
    const out = await visualize(boundingBoxVisualizationBlock, { image, predictions, copy_image: false });
    expect(out.pixels.data).toBe(image.pixels.data);
    expect(pixel(image, 5, 10)).toEqual(PURPLE);
    // Stacked visualizations draw over one another on the one buffer.
    const stacked = await visualize(dotVisualizationBlock, { image: out, predictions, copy_image: false });
    expect(pixel(image, 10, 10)).toEqual(PURPLE);
    expect(stacked.pixels.data).toBe(image.pixels.data);
  });

  it("false drops the input's source bytes, so an output of that image shows the drawing, not the bytes it came as", async () => {
    const plain = plainImage(20, 20);
    const image = new WorkflowImage(plain.pixels, plain.lineage, Buffer.from("jpeg bytes of the undrawn image"));
    await visualize(boundingBoxVisualizationBlock, { image, predictions, copy_image: true });
    expect(image.source).toBeDefined();
    await visualize(boundingBoxVisualizationBlock, { image, predictions, copy_image: false });
    expect(image.source).toBeUndefined();
  });
});

describe("CornerVisualization", () => {
  it("draws corner_length-long arms pointing inward from each corner (thickness 4, length 15 by default)", async () => {
    const { manifest } = cornerVisualizationBlock;
    expect([manifest.type, manifest.aliases, manifest.fields["thickness"]!.default, manifest.fields["corner_length"]!.default]).toEqual([
      "roboflow_core/corner_visualization@v1",
      ["CornerVisualization"],
      4,
      15,
    ]);
    const out = await visualize(cornerVisualizationBlock, {
      image: plainImage(60, 50),
      predictions: makeDetections([box(10, 10, 40, 30)], { width: 60, height: 50 }),
      thickness: 1,
      corner_length: 5,
    });
    for (const [x, y] of [[10, 10], [15, 10], [10, 15], [35, 10], [40, 10], [40, 15], [10, 25], [10, 30], [15, 30], [40, 25], [35, 30]]) {
      expect(pixel(out, x!, y!)).toEqual(PURPLE);
    }
    for (const [x, y] of [[16, 10], [10, 16], [25, 10], [10, 20], [34, 10], [40, 24]]) expect(pixel(out, x!, y!)).toEqual(BACKGROUND);
  });
});

describe("CircleVisualization", () => {
  it("draws a circle through the box's corners: centre the box's centre, radius its half diagonal", async () => {
    expect(circleVisualizationBlock.manifest.aliases).toEqual(["CircleVisualization"]);
    // Box 10..30: centre (20, 20), radius int(sqrt(10² + 10²)) = 14; thickness 2 spans 13..15.
    const out = await visualize(circleVisualizationBlock, {
      image: plainImage(40, 40),
      predictions: makeDetections([box(10, 10, 30, 30)], { width: 40, height: 40 }),
    });
    // The box corner itself lies on the circle (14.1 pixels out).
    for (const [x, y] of [[33, 20], [34, 20], [35, 20], [20, 6], [20, 34], [6, 20], [10, 10]]) expect(pixel(out, x!, y!)).toEqual(PURPLE);
    for (const [x, y] of [[32, 20], [36, 20], [20, 20], [12, 12]]) expect(pixel(out, x!, y!)).toEqual(BACKGROUND);
  });
});

describe("DotVisualization", () => {
  it("fills a disc of the radius at the anchor, outlined in black when outline_thickness is set", async () => {
    const { manifest } = dotVisualizationBlock;
    expect([manifest.aliases, manifest.fields["position"]!.default, manifest.fields["radius"]!.default, manifest.fields["outline_thickness"]!.default]).toEqual([
      ["DotVisualization"],
      "CENTER",
      4,
      0,
    ]);
    const predictions = makeDetections([box(10, 10, 30, 30)], { width: 40, height: 40 });
    const out = await visualize(dotVisualizationBlock, { image: plainImage(40, 40), predictions });
    // Pixels at squared distance <= 16 from (20, 20).
    for (const [x, y] of [[20, 20], [24, 20], [20, 16], [22, 22]]) expect(pixel(out, x!, y!)).toEqual(PURPLE);
    for (const [x, y] of [[25, 20], [23, 23], [20, 15]]) expect(pixel(out, x!, y!)).toEqual(BACKGROUND);
    const outlined = await visualize(dotVisualizationBlock, { image: plainImage(40, 40), predictions, outline_thickness: 2 });
    expect(pixel(outlined, 20, 20)).toEqual(PURPLE);
    expect(pixel(outlined, 24, 20)).toEqual([0, 0, 0]);
    expect(pixel(outlined, 25, 20)).toEqual([0, 0, 0]);
    const corner = await visualize(dotVisualizationBlock, { image: plainImage(40, 40), predictions, position: "BOTTOM_RIGHT", radius: 1 });
    expect(changedPixels(plainImage(40, 40), corner).sort()).toEqual([[29, 30], [30, 29], [30, 30], [30, 31], [31, 30]].sort());
  });
});

describe("ColorVisualization", () => {
  it("blends each filled box (corners included) with its colour at the opacity, the last box on top", async () => {
    const { manifest } = colorVisualizationBlock;
    expect([manifest.type, manifest.aliases, manifest.fields["opacity"]!.default]).toEqual([
      "roboflow_core/color_visualization@v1",
      ["ColorVisualization"],
      0.5,
    ]);
    const image = plainImage(20, 20, [100, 100, 100]);
    const predictions = makeDetections([box(2, 2, 10, 10, 0), box(8, 8, 12, 12, 1)], { width: 20, height: 20 });
    const out = await visualize(colorVisualizationBlock, { image, predictions, opacity: 0.25 });
    // 163 * 0.25 + 100 * 0.75 = 115.75; 81 -> 95.25; 251 -> 137.75
    expect(pixel(out, 2, 2)).toEqual([116, 95, 138]);
    expect(pixel(out, 7, 7)).toEqual([116, 95, 138]);
    // Where the boxes overlap the second (red 255, 64, 64) is on top: 138.75, 91, 91.
    expect(pixel(out, 9, 9)).toEqual([139, 91, 91]);
    expect(pixel(out, 12, 12)).toEqual([139, 91, 91]);
    expect(pixel(out, 13, 13)).toEqual([100, 100, 100]);
    expect(pixel(out, 1, 2)).toEqual([100, 100, 100]);
    // Opacity 0.5: 131.5 and 175.5 round to the even neighbours 132 and 176 (cv2.addWeighted).
    const half = await visualize(colorVisualizationBlock, { image, predictions });
    expect(pixel(half, 3, 3)).toEqual([132, 90, 176]);
  });
});

describe("empty predictions", () => {
  const blocks: [string, Block][] = [
    ["bounding box", boundingBoxVisualizationBlock],
    ["corner", cornerVisualizationBlock],
    ["circle", circleVisualizationBlock],
    ["dot", dotVisualizationBlock],
    ["color", colorVisualizationBlock],
  ];
  for (const [name, block] of blocks) {
    it(`${name}: the image comes back unchanged`, async () => {
      const image = plainImage(16, 12);
      const out = await visualize(block as never, { image, predictions: Detections.empty({ width: 16, height: 12 }) });
      expect(changedPixels(image, out)).toEqual([]);
      expect([out.width, out.height]).toEqual([16, 12]);
    });
  }
});
