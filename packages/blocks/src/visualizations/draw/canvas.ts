/**
 * The surface visualizations draw on: an image's raw pixels (RGB or one channel), written in
 * place. Every shape is reduced to horizontal spans, clipped here, so drawing costs what the
 * shape covers and never a pass over the whole image.
 */
import type { RawPixels } from "@cvflow/vision";
import type { Rgb } from "./color-parsing.js";
import type { SpanSink } from "./shapes.js";

export type Canvas = RawPixels;

/** A colour as the bytes of one pixel of `canvas`: RGB, or its luma (BT.601) on a one-channel image. */
export type Paint = Uint8Array;

export function paintFor(canvas: Canvas, [r, g, b]: Rgb): Paint {
  return canvas.channels === 3 ? Uint8Array.of(r, g, b) : Uint8Array.of(Math.round(0.299 * r + 0.587 * g + 0.114 * b));
}

/** Pixels x0..x1 (inclusive) of row y take `paint`. */
export function fillSpan(canvas: Canvas, y: number, x0: number, x1: number, paint: Paint): void {
  const { width, height, channels, data } = canvas;
  if (y < 0 || y >= height) return;
  const from = Math.max(0, x0);
  const to = Math.min(width - 1, x1);
  if (from > to) return;
  const start = (y * width + from) * channels;
  const end = (y * width + to + 1) * channels;
  if (channels === 1) {
    data.fill(paint[0]!, start, end);
    return;
  }
  const [r, g, b] = paint as unknown as [number, number, number];
  for (let o = start; o < end; o += 3) {
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
  }
}

/**
 * `paint * alpha + pixel * beta` (beta defaults to 1 - alpha) for every pixel value, one table
 * per channel of the paint, in cv2.addWeighted's arithmetic for 8-bit images — single precision,
 * the first product fused with the sum (its SIMD path), rounded to nearest with ties to even,
 * saturated to 0..255 — so that overlays match Roboflow's to the byte.
 */
export function blendTables(paint: Paint, alpha: number, beta = 1 - alpha): Uint8Array[] {
  return Array.from(paint, (p) => Uint8Array.from({ length: 256 }, (_, pixel) => addWeighted8u(p, alpha, pixel, beta)));
}

/**
 * blendTables with the image as cv2.addWeighted's first source: `pixel * sceneWeight + paint *
 * paintWeight`, the pixel's product fused (supervision's background and model-comparison overlays
 * pass the scene first, which can round differently by one).
 */
export function sceneFirstBlendTables(paint: Paint, sceneWeight: number, paintWeight = 1 - sceneWeight): Uint8Array[] {
  return Array.from(paint, (p) => Uint8Array.from({ length: 256 }, (_, pixel) => addWeighted8u(pixel, sceneWeight, p, paintWeight)));
}

/** One value of cv2.addWeighted(src1, alpha, src2, beta, 0) on 8-bit images. */
function addWeighted8u(first: number, alpha: number, second: number, beta: number): number {
  const v = Math.fround(first * Math.fround(alpha) + Math.fround(second * Math.fround(beta)));
  const r = Math.round(v);
  return Math.min(255, Math.max(0, r - v === 0.5 && (r & 1) === 1 ? r - 1 : r));
}

/** Blends the pixel at byte `offset` through the tables of blendTables. */
export function blendPixel(data: Uint8Array, offset: number, tables: readonly Uint8Array[]): void {
  for (let c = 0; c < tables.length; c++) data[offset + c] = tables[c]![data[offset + c]!]!;
}

/** A span sink that paints every span it receives. */
export function painter(canvas: Canvas, paint: Paint): SpanSink {
  return (y, x0, x1) => fillSpan(canvas, y, x0, x1, paint);
}
