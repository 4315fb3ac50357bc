/** What Label Visualization (v1, v2) and Classification Label Visualization share: the label style fields and the drawing. */
import type { Detections, FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { anchorPoint } from "../draw/anchors.js";
import { paintFor } from "../draw/canvas.js";
import { parseColor } from "../draw/color-parsing.js";
import { drawLabel, labelSize, textBackground } from "../draw/label-box.js";
import { renderText } from "../draw/text.js";
import { annotated, detectionColors, drawingSurface, type ColorableParams } from "./visualization-fields.js";

export function labelStyleFields(positions: readonly string[]): Record<string, FieldSpec> {
  return {
    text_position: {
      description: "Anchor position for placing labels relative to each detection's bounding box.",
      kinds: ["string"],
      schema: { enum: positions },
      default: "TOP_LEFT",
    },
    text_color: {
      description: "Color of the label text: a name (WHITE, BLACK, ...), #RRGGBB, rgb(R, G, B) or bgr(B, G, R).",
      kinds: ["string"],
      schema: { type: "string" },
      default: "WHITE",
    },
    text_scale: {
      description: "Scale factor for text size (OpenCV font scale: 1.0 is about 22 pixels tall).",
      kinds: ["float"],
      schema: { type: "number" },
      default: 1.0,
    },
    text_thickness: {
      description: "Thickness of text characters in pixels.",
      kinds: ["integer"],
      schema: { type: "integer" },
      default: 1,
    },
    text_padding: {
      description: "Padding around the text in pixels, between the text and the label background's border.",
      kinds: ["integer"],
      schema: { type: "integer" },
      default: 10,
    },
    border_radius: {
      description: "Border radius of the label background in pixels; 0 for square corners.",
      kinds: ["integer"],
      schema: { type: "integer" },
      default: 0,
    },
  };
}

export interface LabelStyleParams extends ColorableParams {
  image: WorkflowImage;
  copy_image: boolean;
  text_position: string;
  text_color: string;
  text_scale: number;
  text_thickness: number;
  text_padding: number;
  border_radius: number;
}

/** Draws `labels[i]` on a box in detection i's palette colour, anchored at its `text_position`. */
export async function drawDetectionLabels(
  detections: Detections,
  labels: readonly string[],
  params: LabelStyleParams,
  textScale = params.text_scale,
): Promise<{ image: WorkflowImage }> {
  const pixels = drawingSurface(params.image, params.copy_image);
  if (detections.length === 0) return annotated(params.image, pixels);
  const colors = detectionColors(detections, params);
  const ink = paintFor(pixels, parseColor(params.text_color));
  const style = { scale: textScale, thickness: params.text_thickness, padding: params.text_padding, borderRadius: params.border_radius };
  const rendered = await Promise.all(labels.map((label) => renderText(label, textScale, params.text_thickness)));
  rendered.forEach((text, i) => {
    const [x, y] = anchorPoint(detections, i, params.text_position);
    const [width, height] = labelSize(text, style);
    const box = textBackground(Math.trunc(x), Math.trunc(y), width, height, params.text_position);
    drawLabel(pixels, box, text, style, paintFor(pixels, colors[i]!), ink);
  });
  return annotated(params.image, pixels);
}
