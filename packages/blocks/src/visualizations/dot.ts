/** Dot Visualization: a filled dot at an anchor of each detection, optionally outlined in black. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { anchorPoint, POSITIONS } from "./draw/anchors.js";
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

interface DotParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  position: string;
  radius: number;
  outline_thickness: number;
}

/** supervision's DotAnnotator outlines in black; the block offers no colour for it. */
const OUTLINE = [0, 0, 0] as const;

export const dotVisualizationBlock = defineBlock<DotParams>({
  manifest: {
    type: "roboflow_core/dot_visualization@v1",
    aliases: ["DotVisualization"],
    name: "Dot Visualization",
    description: "Draw dots on an image at specific coordinates based on provided detections.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      position: {
        description: "The anchor position for placing the dot.",
        kinds: ["string"],
        schema: { enum: POSITIONS },
        default: "CENTER",
      },
      radius: {
        description: "Radius of the dot in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 4,
      },
      outline_thickness: {
        description: "Thickness of the dot's outline in pixels; 0 for none.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 0,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, radius, outline_thickness } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    const outline = painter(pixels, paintFor(pixels, OUTLINE));
    for (let i = 0; i < predictions.length; i++) {
      const [x, y] = anchorPoint(predictions, i, params.position).map(Math.trunc) as [number, number];
      disc(painter(pixels, paintFor(pixels, colors[i]!)), x, y, radius);
      if (outline_thickness) ring(outline, x, y, radius, outline_thickness);
    }
    return annotated(image, pixels);
  },
});
