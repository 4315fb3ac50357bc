/**
 * The visualizations added for Roboflow's catalogue (background colour, crop, ellipse, grid, halo,
 * model comparison, triangle): their ids, aliases and defaults as Roboflow declares them, their
 * behaviour at the edges supervision's rules decide, and their place in a workflow. Their pixels
 * are checked against supervision itself in visualizations-supervision.test.ts.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { backgroundColorVisualizationBlock } from "../src/visualizations/background_color.js";
import { cropVisualizationBlock } from "../src/visualizations/crop.js";
import { ellipseVisualizationBlock } from "../src/visualizations/ellipse.js";
import { gridVisualizationBlock } from "../src/visualizations/grid.js";
import { haloVisualizationBlock, haloVisualizationV2Block } from "../src/visualizations/halo.js";
import { iconVisualizationBlock } from "../src/visualizations/icon.js";
import { modelComparisonVisualizationBlock } from "../src/visualizations/model_comparison.js";
import { richLabelVisualizationBlock, wrapText } from "../src/visualizations/rich_label.js";
import { textDisplayBlock } from "../src/visualizations/text_display.js";
import { triangleVisualizationBlock } from "../src/visualizations/triangle.js";
import { context, fakeDetector, makeDetections, rectMask } from "./detections-fixture.js";
import { changedPixels, patternImage, pixel, plainImage, PURPLE, visualize } from "./visualization-fixtures.js";

const COLORABLE = { color_palette: "DEFAULT", palette_size: 10, custom_colors: [], color_axis: "CLASS" };

/** Roboflow's manifests at inference 3bb973b: id, legacy alias, and every field's default. */
const MANIFESTS: [Block, string, string | undefined, Record<string, unknown>][] = [
  [backgroundColorVisualizationBlock, "roboflow_core/background_color_visualization@v1", "BackgroundColorVisualization", { copy_image: true, color: "BLACK", opacity: 0.5 }],
  [cropVisualizationBlock, "roboflow_core/crop_visualization@v1", "CropVisualization", { copy_image: true, ...COLORABLE, position: "TOP_CENTER", scale_factor: 2.0, border_thickness: 2 }],
  [ellipseVisualizationBlock, "roboflow_core/ellipse_visualization@v1", "EllipseVisualization", { copy_image: true, ...COLORABLE, thickness: 2, start_angle: -45, end_angle: 235 }],
  [gridVisualizationBlock, "roboflow_core/grid_visualization@v1", undefined, { width: 2560, height: 1440 }],
  [haloVisualizationBlock, "roboflow_core/halo_visualization@v1", "HaloVisualization", { copy_image: true, ...COLORABLE, opacity: 0.8, kernel_size: 40 }],
  [haloVisualizationV2Block, "roboflow_core/halo_visualization@v2", undefined, { copy_image: true, ...COLORABLE, opacity: 0.8, kernel_size: 40 }],
  [iconVisualizationBlock, "roboflow_core/icon_visualization@v1", "IconVisualization", {
    copy_image: true, mode: "dynamic", predictions: null, icon_width: 64, icon_height: 64, position: "TOP_CENTER", x_position: 10, y_position: 10,
  }],
  [modelComparisonVisualizationBlock, "roboflow_core/model_comparison_visualization@v1", undefined, { copy_image: true, color_a: "GREEN", color_b: "RED", background_color: "BLACK", opacity: 0.7 }],
  [richLabelVisualizationBlock, "roboflow_core/rich_label_visualization@v1", undefined, {
    copy_image: true, ...COLORABLE, text: "Class", text_position: "TOP_LEFT", text_color: "WHITE", font_family: "Geist Mono", text_size_mode: "Manual",
    font_size: 14, text_padding: 10, border_radius: 0, max_line_length: null,
  }],
  [textDisplayBlock, "roboflow_core/text_display@v1", undefined, {
    text_parameters: {}, text_parameters_operations: {}, text_color: "WHITE", background_color: "BLACK", background_opacity: 1.0, font_scale: 1.0,
    font_thickness: 2, padding: 10, text_align: "left", border_radius: 0, position_mode: "relative", position_x: 0, position_y: 0,
    anchor: "top_left", offset_x: 10, offset_y: 10, copy_image: true,
  }],
  [triangleVisualizationBlock, "roboflow_core/triangle_visualization@v1", "TriangleVisualization", { copy_image: true, ...COLORABLE, position: "TOP_CENTER", base: 10, height: 10, outline_thickness: 0 }],
];

const box = (x1: number, y1: number, x2: number, y2: number, classId = 0) =>
  ({ box: [x1, y1, x2, y2] as [number, number, number, number], cls: `c${classId}`, classId, confidence: 0.9 });

describe("the catalogue's visualizations", () => {
  it.each(MANIFESTS)("%#: Roboflow's id, alias, fields and defaults", (block, type, alias, defaults) => {
    const { manifest } = block;
    expect(manifest.type).toBe(type);
    expect(manifest.aliases ?? []).toEqual(alias ? [alias] : []);
    expect(manifest.family).toBe("visualizations");
    const declared = Object.fromEntries(Object.entries(manifest.fields).filter(([, f]) => f.default !== undefined).map(([k, f]) => [k, f.default]));
    expect(declared).toEqual(defaults);
    expect(manifest.outputs.map((o) => [o.name, o.kinds])).toEqual([["image", ["image"]]]);
  });

  it("background colour: the boxes' numpy slices keep their pixels (right and bottom edges excluded), the rest is blended", async () => {
    const image = plainImage(20, 10, [100, 100, 100]);
    const out = await visualize(backgroundColorVisualizationBlock, { image, predictions: makeDetections([box(2, 3, 6, 7)], { width: 20, height: 10 }), opacity: 0.5 });
    expect(pixel(out, 2, 3)).toEqual([100, 100, 100]);
    expect(pixel(out, 5, 6)).toEqual([100, 100, 100]);
    expect(pixel(out, 6, 6)).toEqual([50, 50, 50]);
    expect(pixel(out, 5, 7)).toEqual([50, 50, 50]);
    expect(changedPixels(image, out)).toHaveLength(200 - 16);
  });

  it("model comparison: only-A, only-B and neither tinted, both left as they are", async () => {
    const image = plainImage(20, 10, [100, 100, 100]);
    const size = { width: 20, height: 10 };
    const out = await visualize(modelComparisonVisualizationBlock, {
      image,
      predictions_a: makeDetections([box(0, 0, 10, 10)], size),
      predictions_b: makeDetections([box(5, 0, 15, 10)], size),
      opacity: 0.5,
    });
    expect([pixel(out, 2, 5), pixel(out, 7, 5), pixel(out, 12, 5), pixel(out, 17, 5)]).toEqual([
      [50, 178, 50],
      [100, 100, 100],
      [178, 50, 50],
      [50, 50, 50],
    ]);
  });

  it("halo v1 always blurs 40 pixels (Roboflow's v1 drops kernel_size) and glows around boxes; v2 honours kernel_size and needs masks", async () => {
    const size = { width: 120, height: 80 };
    const boxes = makeDetections([box(40, 20, 80, 60)], size);
    const image = () => plainImage(120, 80, [100, 100, 100]);
    const v1Small = await visualize(haloVisualizationBlock, { image: image(), predictions: boxes, kernel_size: 5 });
    const v1Default = await visualize(haloVisualizationBlock, { image: image(), predictions: boxes });
    expect(v1Small.pixels.data).toEqual(v1Default.pixels.data);
    // The glow reaches 20 pixels left of the box (the kernel's half), not 21; the box itself is untouched.
    expect(pixel(v1Default, 21, 40)).not.toEqual([100, 100, 100]);
    expect(pixel(v1Default, 19, 40)).toEqual([100, 100, 100]);
    expect(pixel(v1Default, 60, 40)).toEqual([100, 100, 100]);
    const v2Boxes = await visualize(haloVisualizationV2Block, { image: image(), predictions: boxes });
    expect(changedPixels(image(), v2Boxes)).toEqual([]);
    const masked = makeDetections([{ ...box(40, 20, 80, 60), mask: rectMask(120, 80, [40, 20, 79, 59]) }], size);
    const v2Small = await visualize(haloVisualizationV2Block, { image: image(), predictions: masked, kernel_size: 5 });
    const reach = changedPixels(image(), v2Small).map(([x]) => x);
    expect([Math.min(...reach), Math.max(...reach)]).toEqual([38, 81]);
  });

  it("halo without any detection leaves the image as it is (Roboflow's 0/0 would blacken it)", async () => {
    const image = patternImage(30, 20, (x, y) => x + y);
    const out = await visualize(haloVisualizationBlock, { image, predictions: makeDetections([], { width: 30, height: 20 }) });
    expect(changedPixels(image, out)).toEqual([]);
  });

  it("crop: a box with no pixels in the image draws nothing (cv2.resize would refuse its empty crop); a real one is framed", async () => {
    const image = patternImage(60, 60, (x, y) => (x * 3 + y) % 256);
    const size = { width: 60, height: 60 };
    const outside = await visualize(cropVisualizationBlock, { image, predictions: makeDetections([box(70, 10, 80, 20)], size) });
    expect(changedPixels(image, outside)).toEqual([]);
    const out = await visualize(cropVisualizationBlock, { image, predictions: makeDetections([box(20, 40, 30, 50)], size), border_thickness: 1 });
    // A 10x10 crop doubled, its bottom centre on the box's top centre (25, 40): corners (15, 20) and (35, 40).
    expect(pixel(out, 15, 20)).toEqual(PURPLE);
    expect(pixel(out, 35, 40)).toEqual(PURPLE);
    expect(pixel(out, 14, 30)).toEqual(pixel(image, 14, 30));
  });

  it("triangle: tip on the anchor, base `height` above it, base // 2 either side", async () => {
    const image = plainImage(40, 40);
    const out = await visualize(triangleVisualizationBlock, { image, predictions: makeDetections([box(10.7, 30.2, 29.9, 38)], { width: 40, height: 40 }), base: 11, height: 8 });
    // TOP_CENTER of the box is (20.3, 30.2): the tip at (20, 30), the base from (15, 22) to (25, 22).
    expect([pixel(out, 20, 30), pixel(out, 15, 22), pixel(out, 25, 22)]).toEqual([PURPLE, PURPLE, PURPLE]);
    expect([pixel(out, 20, 31), pixel(out, 14, 22), pixel(out, 26, 22), pixel(out, 20, 21)]).toEqual([[10, 20, 30], [10, 20, 30], [10, 20, 30], [10, 20, 30]]);
  });

  it("grid: no images is a black image of the grid's size; a missing image leaves its cell black; gray images tile in colour", async () => {
    const empty = (await gridVisualizationBlock.run({ images: [], width: 8, height: 6 }, context())) as { image: WorkflowImage };
    expect([empty.image.width, empty.image.height, empty.image.channels]).toEqual([8, 6, 3]);
    expect(empty.image.pixels.data.every((v) => v === 0)).toBe(true);
    const gray = plainImage(10, 10, [200], 1);
    const { image } = (await gridVisualizationBlock.run({ images: [null, gray], width: 40, height: 20 }, context())) as { image: WorkflowImage };
    // Two images: a 2x2 grid of 20x10 cells; the gray one fills cell (0, 1) as a 10x10 square centred at x 25..34.
    expect(pixel(image, 25, 0)).toEqual([200, 200, 200]);
    expect(pixel(image, 34, 9)).toEqual([200, 200, 200]);
    expect(pixel(image, 24, 5)).toEqual([0, 0, 0]);
    expect(pixel(image, 5, 5)).toEqual([0, 0, 0]);
    expect(image.lineage).toEqual(gray.lineage);
  });

  it("text display: the text is drawn inside its box (Hershey metrics: 22 + 10 pixels a line at scale 1, thickness 2), nothing outside it", async () => {
    const image = plainImage(300, 120, [10, 20, 30]);
    const out = await visualize(textDisplayBlock, { image, text: "Count: {{ $parameters.n }}", text_parameters: { n: 7 }, background_color: "transparent" });
    const changed = changedPixels(image, out);
    // "Count: 7": Hershey advances 21+19+19+19+12+10+16+20 = 136, plus the thickness, 138 wide; the line 22 high
    // over a 10-pixel descent. Its text starts at (20, 20) inside the 10-pixel padding; the baseline is row 42.
    const xs = changed.map(([x]) => x);
    const ys = changed.map(([, y]) => y);
    expect(changed.length).toBeGreaterThan(200);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...xs)).toBeLessThan(20 + 138);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...ys)).toBeLessThan(20 + 22 + 10);
    const rounded = await visualize(textDisplayBlock, { image, text: "", border_radius: 8, padding: 20 });
    // A 40 x 42 box at (10, 10): its corner pixel is left out by the rounding, its middle is black.
    expect([pixel(rounded, 10, 10), pixel(rounded, 30, 30)]).toEqual([[10, 20, 30], [0, 0, 0]]);
  });

  it("icon: without an alpha channel it is pasted opaque, letterboxed (black margins stay transparent); static negatives count from the far edges", async () => {
    const icon = plainImage(20, 10, [200, 100, 50]);
    const image = plainImage(100, 80, [10, 20, 30]);
    // A 20 x 10 icon fitted into 40 x 40: 40 x 20, rows 10..29 of the box; its box's right edge 5 pixels from the image's.
    const out = await visualize(iconVisualizationBlock, { image, icon, mode: "static", icon_width: 40, icon_height: 40, x_position: -5, y_position: -10 });
    const changed = changedPixels(image, out);
    const xs = changed.map(([x]) => x);
    const ys = changed.map(([, y]) => y);
    expect(changed).toHaveLength(40 * 20);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([55, 94, 40, 59]);
    expect(pixel(out, 70, 50)).toEqual([200, 100, 50]);
  });

  it("icon: a dynamic icon step without predictions is refused when the workflow compiles, as Roboflow's manifest does", () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([iconVisualizationBlock] as Block[]) });
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowImage", name: "logo" }],
      steps: [{ type: "IconVisualization", name: "icons", image: "$inputs.image", icon: "$inputs.logo" }],
      outputs: [{ type: "JsonField", name: "out", selector: "$steps.icons.image" }],
    };
    expect(() => engine.compile(definition)).toThrow(/predictions.*required for dynamic mode/);
    expect(() => engine.compile({ ...definition, steps: [{ ...definition.steps[0], mode: "static" }] })).not.toThrow();
  });

  it("rich label: wraps as supervision's wrap_text (Python's textwrap), expectations printed by Python 3.11", () => {
    const cases: [string, number | null, string[]][] = [
      ["hello world this is a test", 10, ["hello", "world this", "is a test"]],
      ["supercalifragilistic word", 7, ["superca", "lifragi", "listic", "word"]],
      ["a-b-c well-known x", 5, ["a-b-c", "well-", "known", "x"]],
      ["  lead  spaces here ", 6, ["  lead", "spaces", "here"]],
      ["line one\nline two is long", 8, ["line one", "line two", "is long"]],
      ["person 0.93", 4, ["pers", "on", "0.93"]],
      ["x\n\ny", null, ["x", "", "y"]],
      ["trail\n", null, ["trail"]],
      ["", 5, [""]],
      ["   ", 2, [""]],
    ];
    for (const [text, width, lines] of cases) expect(wrapText(text, width)).toEqual(lines);
  });

  it("rich label: a box per detection standing on its anchor, in its palette colour, taller for each wrapped line", async () => {
    const image = plainImage(200, 150);
    const predictions = makeDetections([{ ...box(20, 100, 80, 140), cls: "person walking" }], { width: 200, height: 150 });
    const one = await visualize(richLabelVisualizationBlock, { image, predictions });
    const two = await visualize(richLabelVisualizationBlock, { image, predictions, max_line_length: 7 });
    const extent = (out: WorkflowImage): [number, number] => {
      const rows = changedPixels(image, out).map(([, y]) => y);
      return [Math.min(...rows), Math.max(...rows)];
    };
    // TOP_LEFT: the box's bottom-left corner on (20, 100).
    expect(extent(one)[1]).toBe(100);
    expect(pixel(one, 20, 99)).toEqual(PURPLE);
    expect(pixel(one, 19, 99)).toEqual([10, 20, 30]);
    // Two lines: the second line's height plus the padding (10) higher.
    expect(extent(one)[0] - extent(two)[0]).toBeGreaterThan(10 + 5);
    expect((richLabelVisualizationBlock.manifest.fields["font_family"]!.schema as { enum: string[] }).enum).toContain("noto_sans");
  });

  it("run in a workflow: aliases resolve, kinds meet, the grid takes a list of step images", async () => {
    const engine = new WorkflowEngine({
      registry: new BlockRegistry([fakeDetector, ...MANIFESTS.map(([block]) => block)] as Block[]),
    });
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "test/fake_detector@v1", name: "detector", image: "$inputs.image" },
        { type: "TriangleVisualization", name: "triangles", image: "$inputs.image", predictions: "$steps.detector.predictions" },
        { type: "BackgroundColorVisualization", name: "background", images: "$steps.triangles.image", predictions: "$steps.detector.predictions" },
        {
          type: "roboflow_core/model_comparison_visualization@v1",
          name: "comparison",
          image: "$inputs.image",
          predictions_a: "$steps.detector.predictions",
          predictions_b: "$steps.detector.predictions",
        },
        { type: "roboflow_core/grid_visualization@v1", name: "grid", images: ["$inputs.image", "$steps.background.image", "$steps.comparison.image"], width: 120, height: 80 },
      ],
      outputs: [{ type: "JsonField", name: "grid", selector: "$steps.grid.image" }],
    };
    const [result] = (await engine.run(definition, { image: plainImage(60, 40) }, { serialize: false })).outputs;
    const grid = result!["grid"] as WorkflowImage;
    expect([grid.width, grid.height]).toEqual([120, 80]);
    // Three images: 2x2 cells of 60x40, each image at its full size; the fourth cell black.
    expect(pixel(grid, 0, 0)).toEqual([10, 20, 30]);
    expect(pixel(grid, 60, 0)).toEqual([5, 10, 15]);
    expect(pixel(grid, 60 + 10, 10)).toEqual([10, 20, 30]);
    expect(pixel(grid, 90, 60)).toEqual([0, 0, 0]);
  });
});
