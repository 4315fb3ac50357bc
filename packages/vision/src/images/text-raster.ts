/**
 * Text as a coverage raster, rendered by librsvg through sharp — so a container needs fontconfig
 * and a font (DejaVu Sans is asked for first) — and cropped to its ink. What the raster is drawn
 * into, and at which size, is the caller's business.
 */
import sharp from "sharp";

export interface TextRaster {
  width: number;
  height: number;
  /** The row of the raster the text's baseline lies on. */
  baseline: number;
  /** width * height coverage values, 0..255. */
  alpha: Uint8Array;
}

/** DejaVu Sans's cap height, in ems. */
const FONT_CAP_HEIGHT_EM = 0.729;
const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

/**
 * `text` with capitals `capHeight` pixels tall. A `thickness` of 1 leaves the glyphs as the font
 * draws them; each pixel more widens their strokes by one, as OpenCV's thicker strokes do.
 */
export async function rasterizeText(text: string, capHeight: number, thickness: number): Promise<TextRaster> {
  const fontSize = capHeight / FONT_CAP_HEIGHT_EM;
  if (text.trim() === "" || fontSize <= 0) return { width: 0, height: 0, baseline: 0, alpha: new Uint8Array(0) };
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

function cropToInk(alpha: Uint8Array, width: number, height: number, baseline: number): TextRaster {
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
