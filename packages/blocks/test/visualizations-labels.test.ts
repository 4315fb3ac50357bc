import { describe, expect, it } from "vitest";
import { Detections, type Keypoint } from "@cvflow/engine";
import { classificationLabelVisualizationBlock } from "../src/visualizations/classification_label.js";
import { detectionLabels, LABEL_TEXTS } from "../src/visualizations/common/detection-labels.js";
import { keypointVisualizationBlock } from "../src/visualizations/keypoint.js";
import { labelVisualizationBlock } from "../src/visualizations/label.js";
import { labelVisualizationV2Block } from "../src/visualizations/label_v2.js";
import { makeDetections, rectMask } from "./detections-fixture.js";
import { changedPixels, pixel, plainImage, PURPLE, RED, visualize } from "./visualization-fixtures.js";

const BACKGROUND = [10, 20, 30];

/** The columns of row y painted `color`, as [first, last]. */
function run(image: ReturnType<typeof plainImage>, y: number, color: readonly number[]): [number, number] | undefined {
  const xs = Array.from({ length: image.width }, (_, x) => x).filter((x) => pixel(image, x, y).join() === color.join());
  return xs.length ? [xs[0]!, xs[xs.length - 1]!] : undefined;
}

describe("label text", () => {
  const detections = makeDetections(
    [
      {
        box: [10.7, 20.2, 50.9, 60.6],
        cls: "car",
        confidence: 0.876,
        data: { tracker_id: 0, time_in_zone: 3.14159, area_px: 1234.567, area_converted: null, plate: "AB 123" },
      },
      { box: [0, 0, 4, 4], cls: "dog", confidence: 0.125, mask: rectMask(640, 480, [0, 0, 3, 3]), data: { tracker_id: 7, time_in_zone: 0, area_px: null, area_converted: 2.5, plate: "" } },
    ],
  );

  it("formats each mode as Roboflow's Python does", () => {
    const v1 = (text: string) => detectionLabels(detections, text, "v1");
    expect(v1("Class")).toEqual(["car", "dog"]);
    // f"{0.125:.2f}" is "0.12": the tie goes to even.
    expect(v1("Confidence")).toEqual(["0.88", "0.12"]);
    expect(v1("Class and Confidence")).toEqual(["car 0.88", "dog 0.12"]);
    expect(v1("Index")).toEqual(["0", "1"]);
    // Centre (30.8, 40.4) and size 40.2 x 40.4, each truncated.
    expect(v1("Dimensions")).toEqual(["30, 40 40x40", "2, 2 4x4"]);
    // The box's area, or the mask's pixel count where there is a mask (4 x 4).
    expect(v1("Area")).toEqual(["1624", "16"]);
    expect(v1("Time In Zone")).toEqual(["In zone: 3.14s", "In zone: N/A"]);
    expect(v1("Area (mask)")).toEqual(["1234.57", "Area (mask): N/A"]);
    expect(v1("Area (converted)")).toEqual(["Area (conv): N/A", "2.5"]);
    expect(v1("plate")).toEqual(["AB 123", ""]);
  });

  it("v1 shows no tracker id for 0 and bare mask areas; v2 shows 0 and named areas", () => {
    expect(detectionLabels(detections, "Tracker Id", "v1")).toEqual(["No Tracker ID", "7"]);
    expect(detectionLabels(detections, "Tracker Id", "v2")).toEqual(["0", "7"]);
    expect(detectionLabels(detections, "Area (mask)", "v2")).toEqual(["Area (mask): 1234.57", "Area (mask): N/A"]);
    expect(detectionLabels(detections, "Area (converted)", "v2")).toEqual(["Area (conv): N/A", "Area (conv): 2.50"]);
    const untracked = makeDetections([{ box: [0, 0, 1, 1], cls: "a", confidence: 1 }]);
    expect(detectionLabels(untracked, "Tracker Id", "v1")).toEqual(["No Tracker ID"]);
    expect(detectionLabels(untracked, "Area (mask)", "v1")).toEqual(["Area (mask): N/A"]);
    expect(detectionLabels(untracked, "Time In Zone", "v1")).toEqual(["In zone: N/A"]);
  });

  it("refuses a text that is neither a mode nor a data field", () => {
    expect(() => detectionLabels(detections, "nonsense", "v1")).toThrow(/Invalid text type/);
  });
});

describe("LabelVisualization", () => {
  const size = { width: 200, height: 100 };
  const car = makeDetections([{ box: [50, 60, 150, 90], cls: "car", confidence: 0.9 }], size);

  it("v1 and v2 are registered with Roboflow's ids, alias and defaults", () => {
    const v1 = labelVisualizationBlock.manifest;
    const v2 = labelVisualizationV2Block.manifest;
    expect([v1.type, v1.aliases, v2.type, v2.aliases]).toEqual([
      "roboflow_core/label_visualization@v1",
      ["LabelVisualization"],
      "roboflow_core/label_visualization@v2",
      undefined,
    ]);
    const defaults = Object.fromEntries(Object.entries(v2.fields).map(([k, f]) => [k, f.default]));
    expect(defaults).toMatchObject({
      text: "Class",
      text_position: "TOP_LEFT",
      text_color: "WHITE",
      text_scale: 1,
      text_thickness: 1,
      text_padding: 10,
      border_radius: 0,
      text_size_mode: "Manual",
    });
    expect(v1.fields["text_size_mode"]).toBeUndefined();
  });

  it("stands a box of the class colour on the top-left corner: OpenCV's text height (22) plus padding, text inside", async () => {
    const image = plainImage(200, 100);
    const out = await visualize(labelVisualizationBlock, { image, predictions: car });
    // Text height 22 + 2 x 10 padding = 42: the box spans rows 18 to 60, from column 50 rightwards.
    expect(run(out, 19, PURPLE)![0]).toBe(50);
    expect(run(out, 59, PURPLE)![0]).toBe(50);
    expect(pixel(out, 50, 18)).toEqual(PURPLE);
    expect(pixel(out, 50, 60)).toEqual(PURPLE);
    expect(pixel(out, 50, 17)).toEqual(BACKGROUND);
    expect(pixel(out, 49, 40)).toEqual(BACKGROUND);
    // As wide as the text plus 20: "car" is wider than nothing, narrower than the detection.
    const [, right] = run(out, 19, PURPLE)!;
    expect(right - 50).toBeGreaterThan(20 + 20);
    expect(right - 50).toBeLessThan(100);
    // The text is white, inside the padding.
    const white = changedPixels(image, out).filter(([x, y]) => pixel(out, x, y).join() === "255,255,255");
    expect(white.length).toBeGreaterThan(20);
    expect(white.every(([x, y]) => x >= 60 && x <= right - 10 && y >= 28 && y <= 60)).toBe(true);
    // Nothing is drawn outside the label box.
    expect(changedPixels(image, out).every(([x, y]) => x >= 50 && x <= right && y >= 18 && y <= 60)).toBe(true);
  });

  it("places the box by text_position and colours the text by text_color", async () => {
    const image = plainImage(200, 100);
    const centred = await visualize(labelVisualizationBlock, { image, predictions: car, text_position: "CENTER", text_color: "black" });
    // Anchor (100, 75): the box spans rows 75 - 21 to 75 + 21, centred on column 100.
    expect(pixel(centred, 100, 54)).toEqual(PURPLE);
    expect(pixel(centred, 100, 53)).toEqual(BACKGROUND);
    expect(pixel(centred, 100, 96)).toEqual(PURPLE);
    expect(pixel(centred, 100, 97)).toEqual(BACKGROUND);
    const [left, right] = run(centred, 55, PURPLE)!;
    expect(Math.abs(100 - left - (right - 100))).toBeLessThanOrEqual(1);
    expect(changedPixels(image, centred).some(([x, y]) => pixel(centred, x, y).join() === "0,0,0")).toBe(true);
    const bottomRight = await visualize(labelVisualizationBlock, { image, predictions: car, text_position: "BOTTOM_RIGHT" });
    expect(run(bottomRight, 95, PURPLE)![1]).toBe(150);
    expect(pixel(bottomRight, 150, 90)).toEqual(PURPLE);
    expect(pixel(bottomRight, 150, 89)).toEqual(BACKGROUND);
  });

  it("rounds the box's corners by border_radius", async () => {
    const out = await visualize(labelVisualizationBlock, { image: plainImage(200, 100), predictions: car, border_radius: 8 });
    expect(pixel(out, 50, 18)).toEqual(BACKGROUND);
    expect(pixel(out, 58, 18)).toEqual(PURPLE);
    expect(pixel(out, 50, 40)).toEqual(PURPLE);
  });

  it("v2 Automatic sizes the text from the resolution: a 2160-pixel shorter side doubles the scale", async () => {
    const predictions = makeDetections([{ box: [100, 200, 300, 400], cls: "car", confidence: 0.9 }], { width: 2200, height: 2160 });
    const out = await visualize(labelVisualizationV2Block, { image: plainImage(2200, 2160), predictions, text_size_mode: "Automatic" });
    // Scale 1.0 * 2160 / 1080 = 2: text height round(42 + 1) = 43, box 63 tall, rows 137 to 200.
    expect(pixel(out, 100, 137)).toEqual(PURPLE);
    expect(pixel(out, 100, 136)).toEqual(BACKGROUND);
  });

  for (const [name, block] of [
    ["v1", labelVisualizationBlock],
    ["v2", labelVisualizationV2Block],
  ] as const) {
    it(`${name}: every text mode draws on detections and leaves an image without detections unchanged`, async () => {
      const predictions = makeDetections(
        [{ box: [20, 40, 90, 90], cls: "car", confidence: 0.9, mask: rectMask(200, 100, [20, 40, 90, 90]), data: { tracker_id: 3 } }],
        size,
      );
      for (const text of LABEL_TEXTS) {
        const image = plainImage(200, 100);
        const empty = await visualize(block as never, { image, predictions: Detections.empty(size), text });
        expect(changedPixels(image, empty)).toEqual([]);
        const drawn = await visualize(block as never, { image, predictions, text });
        expect(changedPixels(image, drawn).length).toBeGreaterThan(0);
      }
      // An unknown text is not an error when there is nothing to label (as in Roboflow).
      const image = plainImage(20, 20);
      const out = await visualize(block as never, { image, predictions: Detections.empty(size), text: "whatever" });
      expect(changedPixels(image, out)).toEqual([]);
    });
  }
});

describe("ClassificationLabelVisualization", () => {
  const single = {
    image: { width: 200, height: 100 },
    predictions: [
      { class: "cat", class_id: 1, confidence: 0.3 },
      { class: "dog", class_id: 0, confidence: 0.9 },
    ],
    top: "dog",
    confidence: 0.9,
  };
  const multi = {
    image: { width: 200, height: 100 },
    predictions: { cat: { confidence: 0.6, class_id: 1 }, dog: { confidence: 0.8, class_id: 0 }, owl: { confidence: 0.1, class_id: 2 } },
    predicted_classes: ["cat", "dog"],
  };

  it("is registered under Roboflow's id, with its text options and nine positions", () => {
    const { manifest } = classificationLabelVisualizationBlock;
    expect(manifest.type).toBe("roboflow_core/classification_label_visualization@v1");
    expect(manifest.fields["text"]!.schema!.enum).toEqual(["Class", "Confidence", "Class and Confidence"]);
    expect(manifest.fields["text_position"]!.schema!.enum).toHaveLength(9);
    expect(manifest.fields["predictions"]!.kinds).toEqual(["classification_prediction"]);
  });

  it("single-label: only the top class, in its class colour, one spacing (47 pixels) down", async () => {
    // Spacing 20 * 1 + 2 * 10 + 2 * 1 + 5 = 47: the label box (42 tall) stands on row 47.
    const image = plainImage(200, 100);
    const out = await visualize(classificationLabelVisualizationBlock, { image, predictions: single });
    expect(pixel(out, 0, 5)).toEqual(PURPLE);
    expect(pixel(out, 0, 47)).toEqual(PURPLE);
    expect(pixel(out, 0, 4)).toEqual(BACKGROUND);
    expect(pixel(out, 0, 48)).toEqual(BACKGROUND);
    expect(changedPixels(image, out).every(([, y]) => y >= 5 && y <= 47)).toBe(true);
  });

  it("multi-label: every predicted class, most confident first, stacked down from the top or up from the bottom", async () => {
    const image = plainImage(200, 100);
    const top = await visualize(classificationLabelVisualizationBlock, { image, predictions: multi });
    expect(pixel(top, 0, 5)).toEqual(PURPLE); // dog, 0.8
    expect(pixel(top, 0, 53)).toEqual(RED); // cat, 0.6: rows 52 to 94
    expect(pixel(top, 0, 95)).toEqual(BACKGROUND);
    const bottom = await visualize(classificationLabelVisualizationBlock, { image, predictions: multi, text_position: "BOTTOM_LEFT" });
    // From the bottom up, the least confident lowest: the anchors are rows 100 - 47 = 53 and
    // 100 - 94 = 6, and a BOTTOM_LEFT label hangs below its anchor: cat on rows 53 to 95, dog on 6 to 48.
    expect([pixel(bottom, 0, 53), pixel(bottom, 0, 95)]).toEqual([RED, RED]);
    expect([pixel(bottom, 0, 6), pixel(bottom, 0, 48)]).toEqual([PURPLE, PURPLE]);
    for (const y of [5, 50, 96]) expect(pixel(bottom, 0, y)).toEqual(BACKGROUND);
  });

  it("leaves the image unchanged when nothing is predicted", async () => {
    const image = plainImage(50, 50);
    for (const predictions of [{ ...single, predictions: [] }, { ...multi, predicted_classes: [] }]) {
      const out = await visualize(classificationLabelVisualizationBlock, { image, predictions });
      expect(changedPixels(image, out)).toEqual([]);
    }
  });
});

describe("KeypointVisualization", () => {
  const keypoints = (points: [number, number][]): Keypoint[] =>
    points.map(([x, y], classId) => ({ x, y, confidence: 0.9, classId, className: `k${classId}` }));
  // 17 COCO keypoints: nose (10, 10), left eye (30, 10), right eye (10, 30); the rest at (0, 0), i.e. missing.
  const coco = keypoints([[10, 10], [30, 10], [10, 30], ...Array.from({ length: 14 }, () => [0, 0] as [number, number])]);
  const predictions = new Detections({
    image: { width: 60, height: 60 },
    xyxy: [5, 5, 50, 50],
    confidence: [0.9],
    classId: [0],
    className: ["person"],
    keypoints: [coco],
  });

  it("is registered under Roboflow's id and alias with its defaults", () => {
    const { manifest } = keypointVisualizationBlock;
    const defaults = Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]));
    expect([manifest.type, manifest.aliases]).toEqual(["roboflow_core/keypoint_visualization@v1", ["KeypointVisualization"]]);
    expect(defaults).toMatchObject({ annotator_type: "edge", color: "#A351FB", text_color: "black", text_scale: 0.5, text_thickness: 1, text_padding: 10, thickness: 2, radius: 10, edges: null });
  });

  it("edge: draws COCO's skeleton between present keypoints, skipping those at (0, 0)", async () => {
    const image = plainImage(60, 60);
    const out = await visualize(keypointVisualizationBlock, { image, predictions, thickness: 1 });
    // Edges 1-2 (nose to left eye), 1-3 (nose to right eye), 2-3 (the eyes, a diagonal).
    for (const [x, y] of [[20, 10], [10, 20], [20, 20]]) expect(pixel(out, x!, y!)).toEqual(PURPLE);
    expect(pixel(out, 1, 1)).toEqual(BACKGROUND);
    expect(changedPixels(image, out).every(([x, y]) => x >= 10 && y >= 10 && x <= 30 && y <= 30)).toBe(true);
    const custom = await visualize(keypointVisualizationBlock, { image, predictions, thickness: 1, edges: [[1, 2]] });
    expect(pixel(custom, 20, 10)).toEqual(PURPLE);
    expect(pixel(custom, 10, 20)).toEqual(BACKGROUND);
  });

  it("vertex: a dot of the radius on every keypoint", async () => {
    const out = await visualize(keypointVisualizationBlock, { image: plainImage(60, 60), predictions, annotator_type: "vertex", radius: 2, color: "green" });
    for (const [x, y] of [[10, 10], [12, 10], [30, 8], [0, 0]]) expect(pixel(out, x!, y!)).toEqual([0, 255, 0]);
    expect(pixel(out, 13, 10)).toEqual(BACKGROUND);
  });

  it("vertex_label: each keypoint's number on a box centred on it; keypoints on row or column 0 skipped", async () => {
    const image = plainImage(60, 60);
    const out = await visualize(keypointVisualizationBlock, { image, predictions, annotator_type: "vertex_label", radius: 0, text_padding: 3 });
    // "0" at scale 0.5 is 12 pixels tall: the box spans rows 10 - 6 - 3 = 1 to 10 + 6 + 3 = 19.
    expect(pixel(out, 10, 1)).toEqual(PURPLE);
    expect(pixel(out, 10, 19)).toEqual(PURPLE);
    expect(pixel(out, 10, 0)).toEqual(BACKGROUND);
    expect(pixel(out, 10, 20)).toEqual(BACKGROUND);
    expect(changedPixels(image, out).some(([x, y]) => pixel(out, x, y).join() === "0,0,0")).toBe(true);
  });

  it("leaves an image without detections unchanged in every mode", async () => {
    for (const annotator_type of ["edge", "vertex", "vertex_label"] as const) {
      const image = plainImage(20, 20);
      const out = await visualize(keypointVisualizationBlock, { image, predictions: Detections.empty({ width: 20, height: 20 }), annotator_type });
      expect(changedPixels(image, out)).toEqual([]);
    }
  });
});
