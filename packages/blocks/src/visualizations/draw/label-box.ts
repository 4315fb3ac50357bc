/**
 * Text labels on a coloured box, as supervision's LabelAnnotator lays them out: the box is the
 * text's size plus `padding` on every side, placed against an anchor point by the position (at
 * TOP_LEFT it stands on the anchor, its left edge on it; at CENTER it is centred on it; ...),
 * drawn with rounded corners when asked, then the text inside it.
 */
import type { TextRaster } from "@cvflow/vision";
import { painter, type Canvas, type Paint } from "./canvas.js";
import { disc, rectangle, type SpanSink } from "./shapes.js";
import { drawText, textHeight } from "./text.js";

export type Box = readonly [number, number, number, number];

/** supervision's resolve_text_background_xyxy (integer anchor, floor halves). */
export function textBackground(anchorX: number, anchorY: number, width: number, height: number, position: string): Box {
  const halfW = Math.floor(width / 2);
  const halfH = Math.floor(height / 2);
  switch (position) {
    case "TOP_LEFT":
      return [anchorX, anchorY - height, anchorX + width, anchorY];
    case "TOP_RIGHT":
      return [anchorX - width, anchorY - height, anchorX, anchorY];
    case "TOP_CENTER":
      return [anchorX - halfW, anchorY - height, anchorX + halfW, anchorY];
    case "BOTTOM_LEFT":
      return [anchorX, anchorY, anchorX + width, anchorY + height];
    case "BOTTOM_RIGHT":
      return [anchorX - width, anchorY, anchorX, anchorY + height];
    case "BOTTOM_CENTER":
      return [anchorX - halfW, anchorY, anchorX + halfW, anchorY + height];
    case "CENTER_LEFT":
      return [anchorX - width, anchorY - halfH, anchorX, anchorY + halfH];
    case "CENTER_RIGHT":
      return [anchorX, anchorY - halfH, anchorX + width, anchorY + halfH];
    default: // CENTER, CENTER_OF_MASS
      return [anchorX - halfW, anchorY - halfH, anchorX + halfW, anchorY + halfH];
  }
}

/** A filled box with corners rounded to `radius` (capped at half its shorter side). */
export function roundedBox(sink: SpanSink, [x1, y1, x2, y2]: Box, radius: number): void {
  const r = Math.max(0, Math.min(radius, Math.floor(Math.min(x2 - x1, y2 - y1) / 2)));
  rectangle(sink, x1 + r, y1, x2 - r, y2, -1);
  rectangle(sink, x1, y1 + r, x2, y2 - r, -1);
  if (r === 0) return;
  for (const [cx, cy] of [
    [x1 + r, y1 + r],
    [x2 - r, y1 + r],
    [x1 + r, y2 - r],
    [x2 - r, y2 - r],
  ] as const) {
    disc(sink, cx, cy, r);
  }
}

export interface LabelStyle {
  scale: number;
  thickness: number;
  padding: number;
  borderRadius: number;
}

/** The padded size of a label: rendered width, OpenCV's text height, plus padding on each side. */
export function labelSize(text: TextRaster, style: LabelStyle): [number, number] {
  return [text.width + 2 * style.padding, textHeight(style.scale, style.thickness) + 2 * style.padding];
}

/** Draws the box, then the text with its baseline `padding` above the box's inner bottom edge. */
export function drawLabel(canvas: Canvas, box: Box, text: TextRaster, style: LabelStyle, background: Paint, ink: Paint): void {
  roundedBox(painter(canvas, background), box, style.borderRadius);
  drawText(canvas, text, box[0] + style.padding, box[1] + style.padding + textHeight(style.scale, style.thickness), ink);
}
