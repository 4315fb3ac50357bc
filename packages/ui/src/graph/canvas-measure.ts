/** Text widths as the browser draws them, from one offscreen canvas (the layout's estimate where there is none). */
import { cssFont, estimateWidth, type Measure } from "./graph-layout.js";

let context: CanvasRenderingContext2D | null | undefined;

export const canvasMeasure: Measure = (text, style) => {
  context ??= document.createElement("canvas").getContext("2d");
  if (!context) return estimateWidth(text, style);
  context.font = cssFont(style);
  return context.measureText(text).width;
};
