/** Triangle Visualization: a filled triangle per detection, its tip on the anchor point, optionally outlined in black. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { anchorPoint, POSITIONS } from "./draw/anchors.js";
import { paintFor, painter } from "./draw/canvas.js";
import { cvPolyline, fixed } from "./draw/cv-polyline.js";
import { filledPolygon, type Point } from "./draw/shapes.js";
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

interface TriangleParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  position: string;
  base: number;
  height: number;
  outline_thickness: number;
}

const BLACK = [0, 0, 0] as const;

export const triangleVisualizationBlock = defineBlock<TriangleParams>({
  manifest: {
    type: "roboflow_core/triangle_visualization@v1",
    aliases: ["TriangleVisualization"],
    name: "Triangle Visualization",
    description: "Draw triangle markers on an image at specific coordinates based on provided detections.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      position: {
        description: "Anchor of the triangle's tip on each detection.",
        kinds: ["string"],
        schema: { enum: POSITIONS },
        default: "TOP_CENTER",
      },
      base: {
        description: "Width of the triangle's base in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
      height: {
        description: "Height of the triangle from base to tip in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
      outline_thickness: {
        description: "Thickness of a black outline around the triangle in pixels; 0 for none.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 0,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, base, height, outline_thickness: outline } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    for (let i = 0; i < predictions.length; i++) {
      const [ax, ay] = anchorPoint(predictions, i, params.position);
      const [x, y] = [Math.trunc(ax), Math.trunc(ay)];
      // The tip points down at the anchor; the base lies `height` above it (supervision's TriangleAnnotator).
      const vertices: Point[] = [
        [x - Math.floor(base / 2), y - height],
        [x + Math.floor(base / 2), y - height],
        [x, y],
      ];
      filledPolygon(painter(pixels, paintFor(pixels, colors[i]!)), vertices);
      if (outline) cvPolyline(painter(pixels, paintFor(pixels, BLACK)), vertices.map(fixed), true, outline, 8, false);
    }
    return annotated(image, pixels);
  },
});
