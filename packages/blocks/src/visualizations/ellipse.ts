/** Ellipse Visualization: a flat elliptical arc under each detection (its box's bottom edge the centre line), in its palette colour. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { pixelBox } from "./draw/boxes.js";
import { paintFor, painter } from "./draw/canvas.js";
import { ellipseArc } from "./draw/ellipse-arc.js";
import { cvFillConvex, cvPolyline, ONE } from "./draw/cv-polyline.js";
import { filledPolygon } from "./draw/shapes.js";
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

interface EllipseParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  thickness: number;
  start_angle: number;
  end_angle: number;
}

export const ellipseVisualizationBlock = defineBlock<EllipseParams>({
  manifest: {
    type: "roboflow_core/ellipse_visualization@v1",
    aliases: ["EllipseVisualization"],
    name: "Ellipse Visualization",
    description: "Draw ellipses that highlight detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      thickness: {
        description: "Thickness of the ellipse's line in pixels; a negative thickness fills it.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
      start_angle: {
        description: "Angle where the arc starts, in degrees clockwise from the positive x axis (90 is down).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: -45,
      },
      end_angle: {
        description: "Angle where the arc ends, in degrees; end_angle = start_angle + 360 draws the whole ellipse.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 235,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, thickness } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const colors = detectionColors(predictions, params);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, , x2, y2] = pixelBox(predictions, i);
      // supervision's EllipseAnnotator: centred on the bottom edge, half-axes the box's width and 0.35 of it.
      const width = x2 - x1;
      const cx = Math.trunc((x1 + x2) / 2);
      const [start, end] = [Math.round(params.start_angle), Math.round(params.end_angle)];
      const points = ellipseArc(cx, y2, width, Math.trunc(0.35 * width), start, end);
      const sink = painter(pixels, paintFor(pixels, colors[i]!));
      // supervision strokes with LINE_4. A negative thickness fills, as cv2.ellipse does: the whole
      // ellipse as a convex polygon; an arc's sector (rare) here from its whole-pixel vertices.
      if (thickness >= 0) cvPolyline(sink, points, false, thickness, 4, true);
      else if (Math.abs(end - start) >= 360) cvFillConvex(sink, points);
      else filledPolygon(sink, [...points.map(([x, y]) => [Math.round(x / ONE), Math.round(y / ONE)] as const), [cx, y2]]);
    }
    return annotated(image, pixels);
  },
});
