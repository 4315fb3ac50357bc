/** Circle Visualization: a circle through each detection box's corners, in its palette colour. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { pixelBox } from "./draw/boxes.js";
import { paintFor, painter } from "./draw/canvas.js";
import { disc, ring } from "./draw/shapes.js";
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

interface CircleParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  thickness: number;
}

export const circleVisualizationBlock = defineBlock<CircleParams>({
  manifest: {
    type: "roboflow_core/circle_visualization@v1",
    aliases: ["CircleVisualization"],
    name: "Circle Visualization",
    description: "Draw a circle around detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      thickness: {
        description: "Thickness of the circle's line in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, thickness } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = pixelBox(predictions, i);
      const cx = Math.floor((x1 + x2) / 2);
      const cy = Math.floor((y1 + y2) / 2);
      const radius = Math.trunc(Math.hypot(x1 - cx, y1 - cy));
      const sink = painter(pixels, paintFor(pixels, colors[i]!));
      if (thickness < 0) disc(sink, cx, cy, radius);
      else ring(sink, cx, cy, radius, thickness);
    }
    return annotated(image, pixels);
  },
});
