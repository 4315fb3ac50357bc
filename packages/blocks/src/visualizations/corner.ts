/** Corner Visualization: the four corners of each detection's box, in its palette colour. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { pixelBox } from "./draw/boxes.js";
import { paintFor, painter } from "./draw/canvas.js";
import { line } from "./draw/shapes.js";
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

interface CornerParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  thickness: number;
  corner_length: number;
}

export const cornerVisualizationBlock = defineBlock<CornerParams>({
  manifest: {
    type: "roboflow_core/corner_visualization@v1",
    aliases: ["CornerVisualization"],
    name: "Corner Visualization",
    description: "Draw the corners of detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      thickness: {
        description: "Thickness of the corner lines in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 4,
      },
      corner_length: {
        description: "Length of each corner line in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 15,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, thickness, corner_length: length } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = pixelBox(predictions, i);
      const sink = painter(pixels, paintFor(pixels, colors[i]!));
      for (const [x, y] of [[x1, y1], [x2, y1], [x1, y2], [x2, y2]] as const) {
        // Each arm points inward: right from the left edge, left from the right edge, likewise down and up.
        line(sink, x, y, x === x1 ? x + length : x - length, y, thickness);
        line(sink, x, y, x, y === y1 ? y + length : y - length, thickness);
      }
    }
    return annotated(image, pixels);
  },
});
