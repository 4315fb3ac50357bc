/** Mask Visualization: each detection's mask (or polygon) painted translucently in its palette colour. */
import { defineBlock, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { paintFor } from "./draw/canvas.js";
import { blendOverlay, type OverlayLayer } from "./draw/overlay.js";
import { detectionRegion, forEachRun, regionArea } from "./draw/region.js";
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

interface MaskParams extends ColorableParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  opacity: number;
}

export const maskVisualizationBlock = defineBlock<MaskParams>({
  manifest: {
    type: "roboflow_core/mask_visualization@v1",
    aliases: ["MaskVisualization"],
    name: "Mask Visualization",
    description: "Paint a mask over detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(["instance_segmentation_prediction"], "Instance segmentation predictions whose masks are painted."),
      ...colorableFields,
      opacity: {
        description: "Opacity of the mask overlay, from 0 (invisible) to 1 (solid).",
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
    const masked: { area: number; layer: OverlayLayer }[] = [];
    for (let i = 0; i < predictions.length; i++) {
      const region = detectionRegion(predictions, i);
      if (!region) continue;
      const paint = paintFor(pixels, colors[i]!);
      masked.push({ area: regionArea(region), layer: { paint, spans: (sink) => forEachRun(region, sink) } });
    }
    // supervision paints the largest mask first and the smallest last, on top; of equal areas
    // the earlier detection ends on top (numpy's stable argsort, flipped). The sort is stable.
    masked.sort((a, b) => a.area - b.area);
    blendOverlay(pixels, masked.map((m) => m.layer), params.opacity);
    return annotated(image, pixels);
  },
});
