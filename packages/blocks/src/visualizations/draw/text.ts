/**
 * Label text. Roboflow draws it with OpenCV's Hershey font; here it is rendered once per
 * (text, scale, thickness) by librsvg through sharp — so a container needs fontconfig and a
 * font (DejaVu Sans is asked for first) — and kept as a coverage raster that is blended into the
 * image directly. Box sizes follow OpenCV's metrics: a text's height is cv2.getTextSize's
 * (21 px of cap height per unit of scale, plus half the stroke); its width is the rendered ink's.
 */
import sharp from "sharp";
import { roundHalfEven } from "../../uql/python-numbers.js";
import type { Canvas, Paint } from "./canvas.js";

export interface RenderedText {
  width: number;
  height: number;
  /** The row of the raster the text's baseline lies on. */
  baseline: number;
  /** width * height coverage values, 0..255. */
  alpha: Uint8Array;
}

/** Hershey Simplex's cap height at scale 1, in pixels, and DejaVu Sans's, in ems. */
const HERSHEY_CAP_HEIGHT = 21;
const FONT_CAP_HEIGHT_EM = 0.729;
const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
const CACHE_LIMIT = 512;

const cache = new Map<string, Promise<RenderedText>>();

/** cv2.getTextSize's height for FONT_HERSHEY_SIMPLEX: round(21 * scale + (thickness + 1) / 2), ties to even. */
export function textHeight(scale: number, thickness: number): number {
  return roundHalfEven(HERSHEY_CAP_HEIGHT * scale + (thickness + 1) / 2, 0);
}

export function renderText(text: string, scale: number, thickness: number): Promise<RenderedText> {
  const key = `${scale}\u0000${thickness}\u0000${text}`;
  let rendered = cache.get(key);
  if (rendered) {
    cache.delete(key);
  } else {
    rendered = rasterize(text, scale, thickness);
    rendered.catch(() => cache.delete(key));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, rendered);
  return rendered;
}

async function rasterize(text: string, scale: number, thickness: number): Promise<RenderedText> {
  const fontSize = (HERSHEY_CAP_HEIGHT * scale) / FONT_CAP_HEIGHT_EM;
  if (text.trim() === "" || fontSize <= 0) return { width: 0, height: 0, baseline: 0, alpha: new Uint8Array(0) };
  // The stroke widens glyphs by (thickness - 1) as OpenCV's thicker strokes do.
  const stroke = thickness > 1 ? ` stroke="#fff" stroke-width="${thickness - 1}" stroke-linejoin="round"` : "";
  const margin = Math.ceil(fontSize * 0.25 + thickness);
  const baseline = margin + Math.ceil(fontSize * 1.2);
  const width = Math.ceil([...text].length * fontSize * 1.1) + 2 * margin;
  const height = baseline + Math.ceil(fontSize * 0.5) + margin;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text x="${margin}" y="${baseline}" xml:space="preserve" font-family="${FONT_FAMILY}" ` +
    `font-size="${fontSize.toFixed(3)}" fill="#fff"${stroke}>${escapeXml(text)}</text></svg>`;
  const alpha = await sharp(Buffer.from(svg)).ensureAlpha().extractChannel(3).raw().toBuffer();
  return cropToInk(new Uint8Array(alpha.buffer, alpha.byteOffset, alpha.length), width, height, baseline);
}

function cropToInk(alpha: Uint8Array, width: number, height: number, baseline: number): RenderedText {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (alpha[y * width + x] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  if (right < 0) return { width: 0, height: 0, baseline: 0, alpha: new Uint8Array(0) };
  const w = right - left + 1;
  const h = bottom - top + 1;
  const cropped = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) cropped.set(alpha.subarray((top + y) * width + left, (top + y) * width + right + 1), y * w);
  return { width: w, height: h, baseline: baseline - top, alpha: cropped };
}

/** Escapes markup and drops the control characters XML cannot carry. */
function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Blends `text` into the canvas with its ink's left edge at x and its baseline on row y. */
export function drawText(canvas: Canvas, text: RenderedText, x: number, y: number, paint: Paint): void {
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
