/**
 * Instance masks (the engine's BitMask): stored only within a window that holds their set pixels,
 * read and made here. Every mask made is charged to the run's image budget before its bytes are
 * allocated (run-image-budget.ts: a third of the window's pixels); a mask that only moves (onto a
 * larger image, as stitching does) shares the bytes of the one it comes from and costs nothing.
 */
import type { BitMask, ImageSize } from "@cvflow/engine";
import { chargeRunMask } from "../images/run-image-budget.js";

/** A rectangle of pixels: columns [left, right), rows [top, bottom). */
export interface PixelRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The pixels of `rect` inside an image of `image`'s size; right <= left or bottom <= top when none. */
function clipRect(rect: PixelRect, image: ImageSize): PixelRect {
  const left = Math.min(Math.max(rect.left, 0), image.width);
  const top = Math.min(Math.max(rect.top, 0), image.height);
  return { left, top, right: Math.min(Math.max(rect.right, left), image.width), bottom: Math.min(Math.max(rect.bottom, top), image.height) };
}

/** The number of pixels a mask for `rect` on `image` holds (what emptyMask would allocate). */
export function windowPixels(rect: PixelRect, image: ImageSize): number {
  const { left, top, right, bottom } = clipRect(rect, image);
  return (right - left) * (bottom - top);
}

/** A mask on `image` with no pixel set and room for set pixels in `rect` (cut to the image); charged to the run. */
export function emptyMask(image: ImageSize, rect: PixelRect): BitMask {
  const { left, top, right, bottom } = clipRect(rect, image);
  const columns = right - left;
  const rows = bottom - top;
  chargeRunMask(columns * rows, `a mask of ${columns}x${rows}`);
  return { width: image.width, height: image.height, left, top, columns, rows, data: new Uint8Array(columns * rows) };
}

/** Whether pixel (x, y) of the image is set. */
export function maskAt(mask: BitMask, x: number, y: number): boolean {
  const column = x - mask.left;
  const row = y - mask.top;
  return column >= 0 && row >= 0 && column < mask.columns && row < mask.rows && mask.data[row * mask.columns + column] !== 0;
}

/** The mask's window as a rectangle. */
function maskWindow(mask: BitMask): PixelRect {
  return { left: mask.left, top: mask.top, right: mask.left + mask.columns, bottom: mask.top + mask.rows };
}

/**
 * The mask moved by (dx, dy) onto an image of `image`'s size (a crop's, dx and dy negative; the
 * image a slice was cut from, positive), cut where it would spill over. When nothing is cut the
 * bytes are shared, not copied.
 */
export function moveMask(mask: BitMask, dx: number, dy: number, image: ImageSize): BitMask {
  const moved = { left: mask.left + dx, top: mask.top + dy, right: mask.left + dx + mask.columns, bottom: mask.top + dy + mask.rows };
  const kept = clipRect(moved, image);
  if (kept.left === moved.left && kept.top === moved.top && kept.right === moved.right && kept.bottom === moved.bottom) {
    return { ...mask, width: image.width, height: image.height, left: moved.left, top: moved.top };
  }
  const out = emptyMask(image, kept);
  for (let row = 0; row < out.rows; row++) {
    const from = (out.top - moved.top + row) * mask.columns + (out.left - moved.left);
    out.data.set(mask.data.subarray(from, from + out.columns), row * out.columns);
  }
  return out;
}

/** Pixel-wise union or intersection of masks on one image (at least one). */
export function combineMasks(masks: readonly BitMask[], mode: "union" | "intersection"): BitMask {
  const first = masks[0]!;
  const image = { width: first.width, height: first.height };
  const windows = masks.map(maskWindow);
  const holding = windows.filter((w) => w.right > w.left && w.bottom > w.top);
  const rect =
    mode === "union"
      ? holding.length === 0
        ? { left: 0, top: 0, right: 0, bottom: 0 }
        : { left: min(holding, "left"), top: min(holding, "top"), right: max(holding, "right"), bottom: max(holding, "bottom") }
      : { left: max(windows, "left"), top: max(windows, "top"), right: min(windows, "right"), bottom: min(windows, "bottom") };
  const out = emptyMask(image, rect);
  if (mode === "union") {
    for (const mask of masks) {
      for (let row = 0; row < mask.rows; row++) {
        const from = row * mask.columns;
        const to = (mask.top - out.top + row) * out.columns + (mask.left - out.left);
        for (let c = 0; c < mask.columns; c++) out.data[to + c] = out.data[to + c]! | mask.data[from + c]!;
      }
    }
  } else {
    for (let row = 0; row < out.rows; row++) {
      for (let c = 0; c < out.columns; c++) {
        const x = out.left + c;
        const y = out.top + row;
        if (masks.every((mask) => maskAt(mask, x, y))) out.data[row * out.columns + c] = 1;
      }
    }
  }
  return out;
}

/** The set pixels' bounding rectangle (end exclusive; left = width, right = 0 when none is set) and their count. */
export interface MaskExtent extends PixelRect {
  area: number;
}

export function maskExtent(mask: BitMask): MaskExtent {
  const extent = { left: mask.width, top: mask.height, right: 0, bottom: 0, area: 0 };
  for (let row = 0; row < mask.rows; row++) {
    const from = row * mask.columns;
    for (let c = 0; c < mask.columns; c++) {
      if (!mask.data[from + c]) continue;
      const x = mask.left + c;
      extent.area++;
      if (x < extent.left) extent.left = x;
      if (x >= extent.right) extent.right = x + 1;
      if (mask.top + row < extent.top) extent.top = mask.top + row;
      extent.bottom = mask.top + row + 1;
    }
  }
  return extent;
}

/** The number of pixels set in both masks, looking only within `within` (for speed: where both have set pixels). */
export function overlapArea(a: BitMask, b: BitMask, within?: PixelRect): number {
  const both = intersect(maskWindow(a), maskWindow(b));
  const rect = within ? intersect(both, within) : both;
  let area = 0;
  for (let y = rect.top; y < rect.bottom; y++) {
    const rowA = (y - a.top) * a.columns - a.left;
    const rowB = (y - b.top) * b.columns - b.left;
    for (let x = rect.left; x < rect.right; x++) if (a.data[rowA + x] && b.data[rowB + x]) area++;
  }
  return area;
}

export function intersect(a: PixelRect, b: PixelRect): PixelRect {
  return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

function min(rects: readonly PixelRect[], side: keyof PixelRect): number {
  return Math.min(...rects.map((r) => r[side]));
}

function max(rects: readonly PixelRect[], side: keyof PixelRect): number {
  return Math.max(...rects.map((r) => r[side]));
}
