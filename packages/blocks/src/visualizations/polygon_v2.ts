/** Polygon Visualization v2 (v1 that also accepts RLE-encoded instance segmentation): the outline of each detection's mask in its palette colour. */
import { defineBlock, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { drawOutlines } from "./detection-outlines.js";
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
} from "./visualization-fields.js";

interface PolygonParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  thickness: number;
}

export const polygonVisualizationV2Block = defineBlock<PolygonParams>({
  manifest: {
    type: "roboflow_core/polygon_visualization@v2",
    name: "Polygon Visualization",
    description: "Draw a polygon around detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(["instance_segmentation_prediction", "rle_instance_segmentation_prediction"], "Instance segmentation predictions whose masks are outlined."),
      ...colorableFields,
      thickness: {
        description: "Thickness of the polygon outline in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const pixels = drawingSurface(params.image, params.copy_image);
    drawOutlines(pixels, params.predictions, detectionColors(params.predictions, params), params.thickness, false);
    return annotated(params.image, pixels);
  },
});
