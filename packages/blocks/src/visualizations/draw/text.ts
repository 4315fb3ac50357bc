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

/**
 * FONT_HERSHEY_SIMPLEX's advance of each printable ASCII character (32..126) at scale 1, in
 * pixels — measured with cv2.getTextSize (width of "ccc" minus width of "c", halved). Any other
 * character counts as OpenCV's "?" for each of its UTF-8 bytes.
 */
const HERSHEY_SIMPLEX_ADVANCES = [
  16, 10, 16, 22, 20, 24, 26, 8, 14, 14, 16, 26, 10, 26, 10, 22, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 10, 10, 24, 26, 24, 18,
  29, 18, 21, 21, 21, 19, 18, 21, 22, 8, 16, 21, 17, 24, 22, 22, 21, 22, 21, 20, 16, 22, 18, 24, 20, 18, 20, 14, 22, 14, 22, 18,
  12, 19, 19, 18, 19, 18, 12, 19, 19, 8, 10, 17, 8, 30, 19, 19, 19, 19, 13, 17, 12, 19, 16, 22, 17, 16, 17, 14, 8, 14, 24,
];
/** Hershey Simplex's descent below the baseline at scale 1. */
const HERSHEY_DESCENT = 9;
const QUESTION_MARK_ADVANCE = HERSHEY_SIMPLEX_ADVANCES["?".charCodeAt(0) - 32]!;
const utf8 = new TextEncoder();

/** cv2.getTextSize's height for FONT_HERSHEY_SIMPLEX: round(21 * scale + (thickness + 1) / 2), the half an integer division, ties to even. */
export function textHeight(scale: number, thickness: number): number {
  return roundHalfEven(HERSHEY_CAP_HEIGHT * scale + Math.trunc((thickness + 1) / 2), 0);
}

/** cv2.getTextSize for FONT_HERSHEY_SIMPLEX: width (advances * scale + thickness), height, and the baseline's depth. */
export function hersheyTextSize(text: string, scale: number, thickness: number): { width: number; height: number; baseline: number } {
  let advance = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    advance += code >= 32 && code <= 126 ? HERSHEY_SIMPLEX_ADVANCES[code - 32]! : QUESTION_MARK_ADVANCE * utf8.encode(char).length;
  }
  return {
    width: roundHalfEven(advance * scale + thickness, 0),
    height: textHeight(scale, thickness),
    baseline: roundHalfEven(HERSHEY_DESCENT * scale + thickness * 0.5, 0),
  };
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
