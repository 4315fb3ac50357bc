/** Reference Path Visualization: a fixed path (an open polyline through the given points) in one colour. */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { paintFor, painter } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { polyline } from "./draw/shapes.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField } from "./common/visualization-fields.js";
import { readPoints, zoneColorField } from "./common/zone-fields.js";

interface ReferencePathParams {
  [key: string]: unknown;
  image: WorkflowImage;
  copy_image: boolean;
  reference_path: unknown[];
  color: string;
  thickness: number;
}

export const referencePathVisualizationBlock = defineBlock<ReferencePathParams>({
  manifest: {
    type: "roboflow_core/reference_path_visualization@v1",
    name: "Reference Path Visualization",
    description: "Draw a reference path in the image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      reference_path: {
        description: "The expected route: a list of [x, y] points, joined in order by straight lines.",
        kinds: ["list_of_values"],
        schema: { type: "array" },
        required: true,
      },
      color: zoneColorField("Colour of the path: a name (WHITE, GREEN, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R)."),
      thickness: {
        description: "Thickness of the path in pixels (at least 1).",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 2,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, thickness } = params;
    if (!(thickness >= 1)) throw invalidField(`thickness must be at least 1, got ${thickness}`);
    const points = readPoints(params.reference_path, "reference_path");
    const pixels = drawingSurface(image, params.copy_image);
    polyline(painter(pixels, paintFor(pixels, parseColor(params.color))), points, false, thickness);
    return annotated(image, pixels);
  },
});
