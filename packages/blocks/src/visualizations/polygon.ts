/**
 * Polygon Visualization: the outline of each detection's mask in its palette colour. v2 also
 * accepts RLE-encoded instance segmentation, and draws nothing for a detection without a mask or
 * polygon where v1 outlines its box.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { drawOutlines } from "./draw/detection-outlines.js";
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

interface PolygonParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  thickness: number;
}

function polygonVisualization(version: 1 | 2) {
  return defineBlock<PolygonParams>({
    manifest: {
      type: `roboflow_core/polygon_visualization@v${version}`,
      ...(version === 1 ? { aliases: ["PolygonVisualization"] } : {}),
      name: "Polygon Visualization",
      description: "Draw a polygon around detected objects in an image.",
      family: "visualizations",
      fields: {
        image: imageField,
        copy_image: copyImageField,
        predictions: predictionsField(
          version === 1 ? ["instance_segmentation_prediction"] : ["instance_segmentation_prediction", "rle_instance_segmentation_prediction"],
          "Instance segmentation predictions whose masks are outlined.",
        ),
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
      drawOutlines(pixels, params.predictions, detectionColors(params.predictions, params), params.thickness, version === 1);
      return annotated(params.image, pixels);
    },
  });
}

export const polygonVisualizationBlock = polygonVisualization(1);
export const polygonVisualizationV2Block = polygonVisualization(2);
