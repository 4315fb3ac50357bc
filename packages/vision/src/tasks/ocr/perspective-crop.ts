/**
 * A text quad cut out of the image as an upright strip: a perspective warp of the quad onto a
 * rectangle, sampled bilinearly with edge pixels repeated beyond the border.
 */
import type { RawPixels } from "../../images/workflow-image.js";
import { distance, type Quad } from "./polygon.js";

/** A strip this many times taller than wide is vertical text, laid on its side to read. */
const VERTICAL_RATIO = 1.5;

/**
 * The quad's strip, turned 90° counter-clockwise when it is much taller than wide (like
 * PaddleOCR; text turned the other way comes out upside down, which the direction
 * classifier catches).
 */
export function textStrip(image: RawPixels, quad: Quad): { strip: RawPixels; turned: boolean } {
  const [tl, tr, br, bl] = quad;
  const width = Math.max(distance(tl, tr), distance(bl, br));
  const height = Math.max(distance(tl, bl), distance(tr, br));
  const turned = height >= VERTICAL_RATIO * width;
  // Starting the warp at the top-right corner is the 90° turn.
  return { strip: warpQuad(image, turned ? [tr, br, bl, tl] : quad), turned };
}

/** The quad mapped onto a rectangle as wide as its longer horizontal side and as tall as its longer vertical side. */
export function warpQuad(image: RawPixels, quad: Quad): RawPixels {
  const [p0, p1, p2, p3] = quad;
  const width = Math.max(1, Math.round(Math.max(distance(p0, p1), distance(p3, p2))));
  const height = Math.max(1, Math.round(Math.max(distance(p0, p3), distance(p1, p2))));
  const map = squareToQuad(quad);
  const { channels } = image;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // (0, 0) ↦ p0 and (width, height) ↦ p2, OpenCV's warpPerspective convention.
      const [sx, sy] = map(x / width, y / height);
      sampleBilinear(image, sx, sy, data, (y * width + x) * channels);
    }
  }
  return { data, width, height, channels };
}

/** The projective map of the unit square onto the quad: (0,0)→p0, (1,0)→p1, (1,1)→p2, (0,1)→p3 (Heckbert). */
function squareToQuad([[x0, y0], [x1, y1], [x2, y2], [x3, y3]]: Quad): (u: number, v: number) => [number, number] {
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
  const det = dx1 * dy2 - dx2 * dy1;
  // A parallelogram (or a degenerate quad) needs no perspective term.
  const g = det === 0 ? 0 : (sx * dy2 - dx2 * sy) / det;
  const h = det === 0 ? 0 : (dx1 * sy - sx * dy1) / det;
  const a = x1 - x0 + g * x1, b = x3 - x0 + h * x3;
  const d = y1 - y0 + g * y1, e = y3 - y0 + h * y3;
  return (u, v) => {
    const w = g * u + h * v + 1;
    return [(a * u + b * v + x0) / w, (d * u + e * v + y0) / w];
  };
}

function sampleBilinear(image: RawPixels, x: number, y: number, out: Uint8Array, at: number): void {
  const { data, width, height, channels } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx), y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1), y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0, fy = cy - y0;
  const i00 = (y0 * width + x0) * channels, i01 = (y0 * width + x1) * channels;
  const i10 = (y1 * width + x0) * channels, i11 = (y1 * width + x1) * channels;
  for (let c = 0; c < channels; c++) {
    const top = data[i00 + c]! + (data[i01 + c]! - data[i00 + c]!) * fx;
    const bottom = data[i10 + c]! + (data[i11 + c]! - data[i10 + c]!) * fx;
    out[at + c] = Math.round(top + (bottom - top) * fy);
  }
}

/** The strip turned half a turn. */
export function rotate180(pixels: RawPixels): RawPixels {
  const { data, width, height, channels } = pixels;
  const out = new Uint8Array(data.length);
  const count = width * height;
  for (let i = 0; i < count; i++) {
    out.set(data.subarray(i * channels, (i + 1) * channels), (count - 1 - i) * channels);
  }
  return { data: out, width, height, channels };
}
