/**
 * Polygon Zone Visualization: one polygon zone, or several, filled in a colour added over the
 * image at `opacity` (as cv2.addWeighted(mask, opacity, image, 1) does in Roboflow's block).
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { paintFor } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { addOverlay } from "./draw/overlay.js";
import { filledPolygons } from "./draw/shapes.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField } from "./common/visualization-fields.js";
import { isPointList, readPoints, zoneColorField, zoneOpacityField } from "./common/zone-fields.js";

interface PolygonZoneParams {
  [key: string]: unknown;
  image: WorkflowImage;
  copy_image: boolean;
  zone: unknown[];
  color: string;
  opacity: number;
}

export const polygonZoneVisualizationBlock = defineBlock<PolygonZoneParams>({
  manifest: {
    type: "roboflow_core/polygon_zone_visualization@v1",
    name: "Polygon Zone Visualization",
    description: "Apply a mask over a polygon zone in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      zone: {
        description: "The zone: a polygon as a list of [x, y] points (more than 2), or a list of such polygons.",
        kinds: ["list_of_values"],
        schema: { type: "array" },
        required: true,
      },
      color: zoneColorField("Colour of the zone: a name (WHITE, RED, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R)."),
      opacity: zoneOpacityField("How much of the zone's colour is added over the image, 0 to 1."),
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, zone } = params;
    const pixels = drawingSurface(image, params.copy_image);
    if (zone.length === 0) return annotated(image, pixels);
    const rings = isPointList(zone) ? [readPoints(zone, "zone")] : zone.map((polygon, i) => readPoints(polygon, `zone[${i}]`));
    const paint = paintFor(pixels, parseColor(params.color));
    addOverlay(pixels, { paint, spans: (sink) => filledPolygons(sink, rings) }, params.opacity);
    return annotated(image, pixels);
  },
});
