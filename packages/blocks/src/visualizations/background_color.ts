/** Background Color Visualization: everything outside the detections blended toward one colour; the detections keep their pixels. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { blendPixel, paintFor, sceneFirstBlendTables } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { coverageMap, hasMasks } from "./draw/coverage.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface BackgroundColorParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  color: string;
  opacity: number;
}

export const backgroundColorVisualizationBlock = defineBlock<BackgroundColorParams>({
  manifest: {
    type: "roboflow_core/background_color_visualization@v1",
    aliases: ["BackgroundColorVisualization"],
    name: "Background Color Visualization",
    description: "Apply a mask to cover all areas outside the detected regions in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS, "Predictions whose boxes (or masks, where they have them) keep their pixels."),
      color: {
        description: "Colour of the background overlay: a name (BLACK, WHITE, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R).",
        kinds: ["string"],
        schema: { type: "string" },
        default: "BLACK",
      },
      opacity: {
        description: "Opacity of the background overlay, from 0 (background unchanged) to 1 (background replaced).",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.5,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions, opacity } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const { width, height, channels, data } = pixels;
    const keep = coverageMap(predictions, width, height, hasMasks(predictions));
    // supervision: cv2.addWeighted(scene, 1 - opacity, colour, opacity) over the whole image, then the covered pixels put back.
    const tables = sceneFirstBlendTables(paintFor(pixels, parseColor(params.color)), 1 - opacity, opacity);
    for (let p = 0; p < keep.length; p++) if (!keep[p]) blendPixel(data, p * channels, tables);
    return annotated(image, pixels);
  },
});
