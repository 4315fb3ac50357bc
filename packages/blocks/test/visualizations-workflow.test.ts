/** The visualization blocks inside the engine: ids and aliases resolve, kinds meet, images flow and stack. */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { blurVisualizationBlock } from "../src/visualizations/blur.js";
import { boundingBoxVisualizationBlock } from "../src/visualizations/bounding_box.js";
import { circleVisualizationBlock } from "../src/visualizations/circle.js";
import { classificationLabelVisualizationBlock } from "../src/visualizations/classification_label.js";
import { colorVisualizationBlock } from "../src/visualizations/color.js";
import { cornerVisualizationBlock } from "../src/visualizations/corner.js";
import { dotVisualizationBlock } from "../src/visualizations/dot.js";
import { keypointVisualizationBlock } from "../src/visualizations/keypoint.js";
import { labelVisualizationBlock } from "../src/visualizations/label.js";
import { labelVisualizationV2Block } from "../src/visualizations/label_v2.js";
import { maskVisualizationBlock } from "../src/visualizations/mask.js";
import { pixelateVisualizationBlock } from "../src/visualizations/pixelate.js";
import { polygonVisualizationBlock } from "../src/visualizations/polygon.js";
import { polygonVisualizationV2Block } from "../src/visualizations/polygon.js";
import { fakeDetector } from "./detections-fixture.js";
import { changedPixels, pixel, plainImage, PURPLE } from "./visualization-fixtures.js";

const VISUALIZATIONS = [
  boundingBoxVisualizationBlock,
  labelVisualizationBlock,
  labelVisualizationV2Block,
  polygonVisualizationBlock,
  polygonVisualizationV2Block,
  maskVisualizationBlock,
  blurVisualizationBlock,
  pixelateVisualizationBlock,
  circleVisualizationBlock,
  dotVisualizationBlock,
  cornerVisualizationBlock,
  colorVisualizationBlock,
  keypointVisualizationBlock,
  classificationLabelVisualizationBlock,
] as Block[];

const engine = new WorkflowEngine({ registry: new BlockRegistry([fakeDetector, ...VISUALIZATIONS] as Block[]) });

describe("visualizations in a workflow", () => {
  it("every block's id and aliases resolve", () => {
    for (const block of VISUALIZATIONS) {
      for (const type of [block.manifest.type, ...(block.manifest.aliases ?? [])]) expect(engine.registry.get(type)).toBe(block);
      expect(block.manifest.family).toBe("visualizations");
    }
  });

  it("stacks visualizations written under their aliases; with copy_image false the input image carries the drawing", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "test/fake_detector@v1", name: "detector", image: "$inputs.image" },
        { type: "BoundingBoxVisualization", name: "boxes", images: "$inputs.image", predictions: "$steps.detector.predictions", thickness: 1 },
        { type: "LabelVisualization", name: "labels", image: "$steps.boxes.image", predictions: "$steps.detector.predictions", text: "Confidence", text_position: "BOTTOM_LEFT", copy_image: false },
        { type: "roboflow_core/dot_visualization@v1", name: "dots", image: "$inputs.image", predictions: "$steps.detector.predictions", copy_image: false },
      ],
      outputs: [
        { type: "JsonField", name: "labelled", selector: "$steps.labels.image" },
        { type: "JsonField", name: "dotted", selector: "$steps.dots.image" },
      ],
    };
    const input = plainImage(60, 40);
    const [result] = (await engine.run(definition, { image: input }, { serialize: false })).outputs;
    const labelled = result!["labelled"] as WorkflowImage;
    const dotted = result!["dotted"] as WorkflowImage;
    expect([labelled.width, labelled.height, dotted.width, dotted.height]).toEqual([60, 40, 60, 40]);
    // The box (on a copy) is in the labelled image only; the dot was drawn on the input itself.
    expect(pixel(labelled, 5, 10)).toEqual(PURPLE);
    expect(pixel(input, 5, 10)).toEqual([10, 20, 30]);
    expect(pixel(dotted, 15, 10)).toEqual(PURPLE);
    expect(dotted.pixels.data).toBe(input.pixels.data);
    expect(changedPixels(plainImage(60, 40), labelled).some(([, y]) => y > 15)).toBe(true);
  });
});
