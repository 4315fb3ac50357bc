/**
 * Line Counter Visualization (Roboflow's line_zone block): the counting line added over the image
 * at `opacity` (cv2.addWeighted(mask, opacity, image, 1)), and "in: N, out: M" in black on a white
 * box centred on the line's first point, as supervision's draw_text lays it out (no padding).
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { pyStr } from "../uql/python-values.js";
import { paintFor, painter } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { addOverlay } from "./draw/overlay.js";
import { line, rectangle } from "./draw/shapes.js";
import { drawText, renderText, textHeight } from "./draw/text.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField } from "./common/visualization-fields.js";
import { readPoints, zoneColorField, zoneOpacityField } from "./common/zone-fields.js";

interface LineZoneParams {
  [key: string]: unknown;
  image: WorkflowImage;
  copy_image: boolean;
  zone: unknown[];
  color: string;
  thickness: number;
  text_thickness: number;
  text_scale: number;
  count_in: number;
  count_out: number;
  opacity: number;
}

const WHITE = [255, 255, 255] as const;
const BLACK = [0, 0, 0] as const;

export const lineZoneVisualizationBlock = defineBlock<LineZoneParams>({
  manifest: {
    type: "roboflow_core/line_counter_visualization@v1",
    name: "Line Counter Visualization",
    description: "Apply a mask over a line zone in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      zone: {
        description: "The counting line: two points [[x1, y1], [x2, y2]] (a Line Counter's line_segment).",
        kinds: ["list_of_values"],
        schema: { type: "array" },
        required: true,
      },
      color: zoneColorField("Colour of the line: a name (WHITE, RED, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R)."),
      thickness: {
        description: "Thickness of the line in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
      text_thickness: {
        description: "Thickness of the count text's strokes in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 1,
      },
      text_scale: {
        description: "Scale of the count text (OpenCV font scale: 1.0 is about 22 pixels tall).",
        kinds: ["float"],
        schema: { type: "number" },
        default: 1.0,
      },
      count_in: {
        description: "Objects counted crossing in (a Line Counter's count_in).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 0,
      },
      count_out: {
        description: "Objects counted crossing out (a Line Counter's count_out).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 0,
      },
      opacity: zoneOpacityField("How much of the line's colour is added over the image, 0 to 1."),
    },
    outputs: IMAGE_OUTPUTS,
  },
  async run(params) {
    const { image } = params;
    const points = readPoints(params.zone, "zone");
    if (points.length < 2) throw invalidField(`zone must hold two points [[x1, y1], [x2, y2]], got ${points.length}`);
    const [[x1, y1], [x2, y2]] = points as [readonly [number, number], readonly [number, number]];
    const label = await renderText(`in: ${pyStr(params.count_in)}, out: ${pyStr(params.count_out)}`, params.text_scale, params.text_thickness);
    const pixels = drawingSurface(image, params.copy_image);
    const paint = paintFor(pixels, parseColor(params.color));
    addOverlay(pixels, { paint, spans: (sink) => line(sink, x1, y1, x2, y2, params.thickness) }, params.opacity);
    // draw_text: the text's box (its width, OpenCV's height) centred on the first point.
    const width = label.width;
    const height = textHeight(params.text_scale, params.text_thickness);
    const left = x1 - Math.floor(width / 2);
    const top = y1 - Math.floor(height / 2);
    rectangle(painter(pixels, paintFor(pixels, WHITE)), left, top, left + width, top + height, -1);
    drawText(pixels, label, left, y1 + Math.floor(height / 2), paintFor(pixels, BLACK));
    return annotated(image, pixels);
  },
});
