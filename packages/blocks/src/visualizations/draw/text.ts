/**
 * Label text. Roboflow draws it with OpenCV's Hershey font; here it is rasterized once per
 * (text, scale, thickness) by vision (librsvg through sharp) and kept as a coverage raster that is
 * blended into the image directly. Box sizes follow OpenCV's metrics: a text's height is
 * cv2.getTextSize's (21 px of cap height per unit of scale, plus half the stroke); its width is the
 * rendered ink's.
 */
import { rasterizeText, type TextRaster } from "@cvflow/vision";
import { roundHalfEven } from "../../common/python-numbers.js";
import type { Canvas, Paint } from "./canvas.js";

/** Hershey Simplex's cap height at scale 1, in pixels. */
const HERSHEY_CAP_HEIGHT = 21;
const CACHE_LIMIT = 512;

const cache = new Map<string, Promise<TextRaster>>();

/** cv2.getTextSize's height for FONT_HERSHEY_SIMPLEX: round(21 * scale + (thickness + 1) / 2), ties to even. */
export function textHeight(scale: number, thickness: number): number {
  return roundHalfEven(HERSHEY_CAP_HEIGHT * scale + (thickness + 1) / 2, 0);
}

export function renderText(text: string, scale: number, thickness: number): Promise<TextRaster> {
  const key = `${scale}\u0000${thickness}\u0000${text}`;
  let rendered = cache.get(key);
  if (rendered) {
    cache.delete(key);
  } else {
    rendered = rasterizeText(text, HERSHEY_CAP_HEIGHT * scale, thickness);
    rendered.catch(() => cache.delete(key));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, rendered);
  return rendered;
}

/** Blends `text` into the canvas with its ink's left edge at x and its baseline on row y. */
export function drawText(canvas: Canvas, text: TextRaster, x: number, y: number, paint: Paint): void {
  const { width, height, channels, data } = canvas;
  const top = y - text.baseline;
  for (let r = Math.max(0, -top); r < text.height && top + r < height; r++) {
    for (let c = Math.max(0, -x); c < text.width && x + c < width; c++) {
      const a = text.alpha[r * text.width + c]!;
      if (a === 0) continue;
      const offset = ((top + r) * width + x + c) * channels;
      for (let k = 0; k < channels; k++) data[offset + k] = Math.round((paint[k]! * a + data[offset + k]! * (255 - a)) / 255);
    }
  }
}
