/** Color Visualization: each detection's box filled translucently in its palette colour. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { pixelBox } from "./draw/boxes.js";
import { paintFor } from "./draw/canvas.js";
import { blendOverlay, type OverlayLayer } from "./draw/overlay.js";
import { rectangle } from "./draw/shapes.js";
import {
  annotated,
  colorableFields,
  copyImageField,
  detectionColors,
  drawingSurface,
  IMAGE_OUTPUTS,
  imageField,
  predictionsField,
  type ColorableParams,
} from "./common/visualization-fields.js";

interface ColorParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  opacity: number;
}

export const colorVisualizationBlock = defineBlock<ColorParams>({
  manifest: {
    type: "roboflow_core/color_visualization@v1",
    aliases: ["ColorVisualization"],
    name: "Color Visualization",
    description: "Paint a solid color on detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      opacity: {
        description: "Opacity of the color overlay, from 0 (invisible) to 1 (solid).",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.5,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    // Boxes are filled in order, each over the ones before: the last detection is on top.
    const layers: OverlayLayer[] = [];
    for (let i = predictions.length - 1; i >= 0; i--) {
      const [x1, y1, x2, y2] = pixelBox(predictions, i);
      layers.push({ paint: paintFor(pixels, colors[i]!), spans: (sink) => rectangle(sink, x1, y1, x2, y2, -1) });
    }
    blendOverlay(pixels, layers, params.opacity);
    return annotated(image, pixels);
  },
});
