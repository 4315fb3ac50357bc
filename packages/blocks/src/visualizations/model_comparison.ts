/**
 * Model Comparison Visualization: where only model A predicted, the image is tinted with color_a;
 * where only B did, with color_b; where neither did, with background_color; where both did, it
 * is left as it is.
 */
import { defineBlock, DETECTION_KINDS, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { blendPixel, paintFor, sceneFirstBlendTables } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { coverageMap, hasMasks } from "./draw/coverage.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface ModelComparisonParams {
  [key: string]: unknown;
  image: WorkflowImage;
  copy_image: boolean;
  predictions_a: Detections;
  color_a: string;
  predictions_b: Detections;
  color_b: string;
  background_color: string;
  opacity: number;
}

function colorField(description: string, fallback: string): FieldSpec {
  return {
    description: `${description}: a name (GREEN, RED, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R).`,
    kinds: ["string"],
    schema: { type: "string" },
    default: fallback,
  };
}

export const modelComparisonVisualizationBlock = defineBlock<ModelComparisonParams>({
  manifest: {
    type: "roboflow_core/model_comparison_visualization@v1",
    name: "Model Comparison Visualization",
    description: "Visualize the difference between two models' predictions.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions_a: predictionsField(DETECTION_KINDS, "Predictions of the first model (A); their masks where they have them, else their boxes."),
      color_a: colorField("Colour of the areas only model A predicted", "GREEN"),
      predictions_b: predictionsField(DETECTION_KINDS, "Predictions of the second model (B); their masks where they have them, else their boxes."),
      color_b: colorField("Colour of the areas only model B predicted", "RED"),
      background_color: colorField("Colour of the areas neither model predicted", "BLACK"),
      opacity: {
        description: "Opacity of the overlays, from 0 (invisible) to 1 (solid).",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.7,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions_a: a, predictions_b: b, opacity } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const { width, height, channels, data } = pixels;
    const inA = coverageMap(a, width, height, hasMasks(a));
    const inB = coverageMap(b, width, height, hasMasks(b));
    // The three regions are disjoint, so each pixel is blended at most once (supervision applies them one after another).
    const tablesFor = (color: string) => sceneFirstBlendTables(paintFor(pixels, parseColor(color)), 1 - opacity, opacity);
    const neither = tablesFor(params.background_color);
    const onlyA = tablesFor(params.color_a);
    const onlyB = tablesFor(params.color_b);
    for (let p = 0; p < inA.length; p++) {
      const tables = inA[p] ? (inB[p] ? undefined : onlyA) : inB[p] ? onlyB : neither;
      if (tables) blendPixel(data, p * channels, tables);
    }
    return annotated(image, pixels);
  },
});
