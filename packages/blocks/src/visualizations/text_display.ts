/**
 * Text Display: a block of text, one or more lines, drawn on the image on an optional (rounded,
 * translucent) background, placed at pixel coordinates or against one of nine anchors of the
 * image. `{{ $parameters.name }}` in the text takes the value of text_parameters.name, after its
 * text_parameters_operations.
 *
 * Layout as Roboflow's: line height and widths from OpenCV's Hershey Simplex metrics, line spacing
 * a quarter of a line, the box kept inside the image. The glyphs themselves are vision's text
 * rasterizer's, not Hershey strokes: the same place and size, other letter shapes.
 */
import { defineBlock, pointerSegment } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";
import { compileOperations } from "../uql/compile-operations.js";
import type { OperationDefinition } from "../uql/operation-spec.js";
import { pyStr } from "../uql/python-values.js";
import { operationsListSchema } from "../uql/schema-refs.js";
import { blendPixel, blendTables, paintFor, painter, type Canvas } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { roundedBox, type Box } from "./draw/label-box.js";
import { rectangle } from "./draw/shapes.js";
import { drawText, hersheyTextSize, renderText } from "./draw/text.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS } from "./common/visualization-fields.js";

interface TextDisplayParams {
  [key: string]: unknown;
  image: WorkflowImage;
  text: string;
  text_parameters: Record<string, unknown>;
  text_parameters_operations: Record<string, readonly OperationDefinition[]>;
  text_color: string;
  background_color: string;
  background_opacity: number;
  font_scale: number;
  font_thickness: number;
  padding: number;
  text_align: string;
  border_radius: number;
  position_mode: string;
  position_x: number;
  position_y: number;
  anchor: string;
  offset_x: number;
  offset_y: number;
  copy_image: boolean;
}

/** Each anchor's place on the image (and on the box), as fractions of width and height. */
const ANCHORS: Readonly<Record<string, readonly [number, number]>> = {
  center: [0.5, 0.5],
  top_left: [0, 0],
  top_center: [0.5, 0],
  top_right: [1, 0],
  bottom_left: [0, 1],
  bottom_center: [0.5, 1],
  bottom_right: [1, 1],
  center_left: [0, 0.5],
  center_right: [1, 0.5],
};

const PARAMETER = /\{\{\s*\$parameters\.(\w+)\s*\}\}/g;

const integer = (description: string, fallback: number, minimum?: number) => ({
  description,
  kinds: ["integer"] as const,
  schema: minimum === undefined ? { type: "integer" as const } : { type: "integer" as const, minimum },
  default: fallback,
});

export const textDisplayBlock = defineBlock<TextDisplayParams>({
  manifest: {
    type: "roboflow_core/text_display@v1",
    name: "Text Display",
    description: "Display customizable text on an image with styling and positioning options.",
    family: "visualizations",
    fields: {
      image: { description: "The image to display text on.", kinds: ["image"], required: true },
      text: {
        description: "The text to display (lines split at \\n); {{ $parameters.name }} is replaced by that parameter's value.",
        schema: { type: "string" },
        required: true,
      },
      text_parameters: {
        description: "Values the text refers to as {{ $parameters.name }}.",
        shape: "dict",
        kinds: ["*"],
        schema: { type: ["string", "number", "boolean"] },
        default: {},
      },
      text_parameters_operations: {
        description: "Operations applied to a parameter (by name) before it is put into the text.",
        schema: { type: "object", additionalProperties: operationsListSchema },
        default: {},
      },
      text_color: {
        description: "Colour of the text: a name (WHITE, BLACK, ROBOFLOW, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R).",
        kinds: ["string"],
        schema: { type: "string" },
        default: "WHITE",
      },
      background_color: {
        description: "Colour of the box behind the text, in text_color's formats, or 'transparent' for none.",
        kinds: ["string"],
        schema: { type: "string" },
        default: "BLACK",
      },
      background_opacity: {
        description: "Opacity of the background, from 0 (none) to 1 (opaque).",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 1.0,
      },
      font_scale: {
        description: "Size of the text (OpenCV font scale: 1.0 is about 22 pixels a line).",
        kinds: ["float"],
        schema: { type: "number", minimum: 0.1, maximum: 10 },
        default: 1.0,
      },
      font_thickness: {
        description: "Thickness of the letters' strokes in pixels.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1, maximum: 10 },
        default: 2,
      },
      padding: integer("Space between the text and the background's edges in pixels.", 10, 0),
      text_align: {
        description: "Alignment of the lines within the box.",
        kinds: ["string"],
        schema: { enum: ["left", "center", "right"] },
        default: "left",
      },
      border_radius: integer("Radius of the background's rounded corners in pixels; 0 for square ones.", 0, 0),
      position_mode: {
        description: "absolute: the box's top-left corner at position_x, position_y; relative: against an anchor of the image, moved by offset_x, offset_y.",
        kinds: ["string"],
        schema: { enum: ["absolute", "relative"] },
        default: "relative",
      },
      position_x: integer("Left edge of the box in pixels (absolute positioning).", 0),
      position_y: integer("Top edge of the box in pixels (absolute positioning).", 0),
      anchor: {
        description: "The image's point the box is placed against (relative positioning): the same point of the box goes there.",
        kinds: ["string"],
        schema: { enum: Object.keys(ANCHORS) },
        default: "top_left",
      },
      offset_x: integer("Horizontal shift from the anchor in pixels (positive: right).", 10),
      offset_y: integer("Vertical shift from the anchor in pixels (positive: down).", 10),
      copy_image: copyImageField,
    },
    outputs: IMAGE_OUTPUTS,
  },
  async run(params) {
    const { image, font_scale: scale, font_thickness: thickness, padding } = params;
    const lines = formatText(params).split("\n");
    const { height: lineHeight, baseline } = hersheyTextSize("Ag", scale, thickness);
    const advance = lineHeight + baseline;
    const spacing = Math.max(1, roundHalfEven(0.25 * advance, 0));
    const widths = lines.map((line) => (line.trim() ? hersheyTextSize(line, scale, thickness).width : 0));
    const textWidth = Math.max(0, ...widths);
    const boxWidth = textWidth + 2 * padding;
    const boxHeight = lines.length * advance + (lines.length - 1) * spacing + 2 * padding;
    const [x, y] = boxPosition(params, boxWidth, boxHeight, image.width, image.height);
    const pixels = drawingSurface(image, params.copy_image);
    drawBackground(pixels, [Math.max(0, x), Math.max(0, y), Math.min(image.width, x + boxWidth), Math.min(image.height, y + boxHeight)], params);
    const ink = paintFor(pixels, parseColor(params.text_color));
    let top = y + padding;
    for (const [i, line] of lines.entries()) {
      const left = x + padding + alignment(params.text_align, textWidth, widths[i]!);
      if (line.trim() && top + lineHeight > 0 && top < image.height && left < image.width) {
        drawText(pixels, await renderText(line, scale, thickness), left, top + lineHeight, ink);
      }
      top += advance + spacing;
    }
    return annotated(image, pixels);
  },
});

/** The text with each {{ $parameters.name }} of a known parameter replaced (others left as written). */
function formatText({ text, text_parameters: parameters, text_parameters_operations: operations }: TextDisplayParams): string {
  const values = new Map<string, string>();
  return text.replace(PARAMETER, (placeholder, name: string) => {
    if (!Object.hasOwn(parameters, name)) return placeholder;
    let value = values.get(name);
    if (value === undefined) {
      const chain = operations[name];
      const raw = chain?.length ? compileOperations(chain, `/text_parameters_operations/${pointerSegment(name)}`)(parameters[name], {}) : parameters[name];
      value = pyStr(raw);
      values.set(name, value);
    }
    return value;
  });
}

/** The box's top-left corner: absolute, or against the anchor; then moved inside the image (to 0 when it is larger). */
function boxPosition(params: TextDisplayParams, w: number, h: number, imageWidth: number, imageHeight: number): [number, number] {
  let x = params.position_x;
  let y = params.position_y;
  if (params.position_mode !== "absolute") {
    const [ax, ay] = ANCHORS[params.anchor.toLowerCase()] ?? ANCHORS["top_left"]!;
    x = roundHalfEven(ax * imageWidth, 0) - roundHalfEven(ax * w, 0) + params.offset_x;
    y = roundHalfEven(ay * imageHeight, 0) - roundHalfEven(ay * h, 0) + params.offset_y;
  }
  const inside = (v: number, size: number, limit: number) => (size > limit ? 0 : Math.max(0, Math.min(v, limit - size)));
  return [inside(x, w, imageWidth), inside(y, h, imageHeight)];
}

function alignment(align: string, textWidth: number, lineWidth: number): number {
  if (align === "center") return Math.floor((textWidth - lineWidth) / 2);
  return align === "right" ? textWidth - lineWidth : 0;
}

/** The background over [x1, x2) x [y1, y2): opaque, or blended as cv2.addWeighted(shape, opacity, image, 1 - opacity). */
function drawBackground(canvas: Canvas, [x1, y1, x2, y2]: Box, params: TextDisplayParams): void {
  const { background_color: color, background_opacity: opacity, border_radius: radius } = params;
  if (color.toLowerCase() === "transparent" || x2 <= x1 || y2 <= y1 || !(opacity > 0)) return;
  const paint = paintFor(canvas, parseColor(color));
  const box: Box = [x1, y1, x2 - 1, y2 - 1];
  const shape = (sink: Parameters<typeof rectangle>[0]) => (radius > 0 ? roundedBox(sink, box, radius) : rectangle(sink, ...box, -1));
  if (opacity >= 1) {
    shape(painter(canvas, paint));
    return;
  }
  const tables = blendTables(paint, opacity);
  const covered = new Uint8Array((x2 - x1) * (y2 - y1));
  shape((y, a, b) => {
    for (let x = Math.max(a, x1); x <= Math.min(b, x2 - 1); x++) {
      const cell = (y - y1) * (x2 - x1) + (x - x1);
      if (y < y1 || y >= y2 || covered[cell]) continue;
      covered[cell] = 1;
      blendPixel(canvas.data, (y * canvas.width + x) * canvas.channels, tables);
    }
  });
}
