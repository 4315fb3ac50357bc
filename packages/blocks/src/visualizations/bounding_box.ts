/** Bounding Box Visualization: each detection's box outlined in its palette colour, corners optionally rounded. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidDrawing } from "../errors.js";
import { pixelBox } from "./draw/boxes.js";
import { paintFor, painter } from "./draw/canvas.js";
import { line, rectangle, ring, type SpanSink } from "./draw/shapes.js";
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

interface BoundingBoxParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  thickness: number;
  roundness: number;
}

export const boundingBoxVisualizationBlock = defineBlock<BoundingBoxParams>({
  manifest: {
    type: "roboflow_core/bounding_box_visualization@v1",
    aliases: ["BoundingBoxVisualization"],
    name: "Bounding Box Visualization",
    description: "Draw a box around detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      thickness: {
        description: "Thickness of the bounding box edges in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
      roundness: {
        description: "Roundness of the corners: 0 for square corners, up to 1 (a radius of half the shorter side).",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.0,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, thickness, roundness } = params;
    if (!(roundness >= 0 && roundness <= 1)) {
      throw invalidDrawing("invalid_roundness", `roundness must be between 0 and 1, got ${roundness}`);
    }
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = pixelBox(predictions, i);
      const sink = painter(pixels, paintFor(pixels, colors[i]!));
      if (roundness === 0) rectangle(sink, x1, y1, x2, y2, thickness);
      else roundBox(sink, x1, y1, x2, y2, thickness, roundness);
    }
    return annotated(image, pixels);
  },
});

/** sv.RoundBoxAnnotator: four quarter circles of radius roundness * half the shorter side, joined by straight edges. */
function roundBox(sink: SpanSink, x1: number, y1: number, x2: number, y2: number, thickness: number, roundness: number): void {
  const side = Math.abs(x1 - x2) < Math.abs(y1 - y2) ? x2 - x1 : y2 - y1;
  const r = Math.trunc(Math.floor(side / 2) * roundness);
  ring(sink, x1 + r, y1 + r, r, thickness, [-1, -1]);
  ring(sink, x2 - r, y1 + r, r, thickness, [1, -1]);
  ring(sink, x2 - r, y2 - r, r, thickness, [1, 1]);
  ring(sink, x1 + r, y2 - r, r, thickness, [-1, 1]);
  line(sink, x1 + r, y1, x2 - r, y1, thickness);
  line(sink, x2, y1 + r, x2, y2 - r, thickness);
  line(sink, x1 + r, y2, x2 - r, y2, thickness);
  line(sink, x1, y1 + r, x1, y2 - r, thickness);
}
