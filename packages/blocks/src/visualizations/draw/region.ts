/**
 * A detection's region as supervision sees it: its mask, or — for detections that carry only a
 * polygon (`points`, as predictions read from JSON do) — that polygon filled, as sv.Detections
 * builds masks from polygons. A region is held as runs of set pixels, row by row, so that
 * painting, measuring and outlining it cost what it covers rather than the image's size.
 */
import type { BitMask, Detections } from "@cvflow/engine";
import { filledPolygon, halfWidth, line, type Point, type SpanSink } from "./shapes.js";

export interface Region {
  /** The image row of rows[0]. */
  top: number;
  /** Per row, the runs' first and last columns (inclusive), flattened, left to right. */
  rows: Int32Array[];
}

export function detectionRegion(detections: Detections, i: number): Region | null {
  const mask = detections.masks?.[i];
  if (mask) return maskRegion(mask);
  const polygon = detectionPolygon(detections, i);
  return polygon && polygon.length >= 3 ? polygonRegion(polygon) : null;
}

/** The detection's `points` column as integer vertices (truncated, as sv casts to int32), or null. */
export function detectionPolygon(detections: Detections, i: number): Point[] | null {
  const points = detections.data["points"]?.[i];
  if (!Array.isArray(points)) return null;
  const vertices: Point[] = [];
  for (const p of points) {
    const [x, y] = Array.isArray(p) ? p : [(p as { x?: unknown })?.x, (p as { y?: unknown })?.y];
    if (typeof x !== "number" || typeof y !== "number") return null;
    vertices.push([Math.trunc(x), Math.trunc(y)]);
  }
  return vertices;
}

const NO_RUNS = new Int32Array(0);

const HAS_ZERO_BYTE = (w: number): boolean => ((w - 0x01010101) & ~w & 0x80808080) !== 0;

/**
 * The runs of the mask's window (nothing is set outside it); zero words (and, inside a run, words
 * without a zero byte) are skipped four bytes at a time.
 */
function maskRegion({ left, top, columns, rows: height, data }: BitMask): Region {
  const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : undefined;
  const rows: Int32Array[] = [];
  const runs: number[] = [];
  for (let y = 0; y < height; y++) {
    const begin = y * columns;
    const end = begin + columns;
    let i = begin;
    runs.length = 0;
    while (i < end) {
      i = skip(data, words, i, end, false);
      if (i >= end) break;
      const start = i;
      i = skip(data, words, i, end, true);
      runs.push(start - begin + left, i - 1 - begin + left);
    }
    rows.push(runs.length === 0 ? NO_RUNS : Int32Array.from(runs));
  }
  return { top, rows };
}

/** The first index from i (before end) whose byte is zero (set: true) or non-zero (set: false). */
function skip(data: Uint8Array, words: Uint32Array | undefined, from: number, end: number, set: boolean): number {
  let i = from;
  while (i < end && (i & 3) !== 0 && (data[i] !== 0) === set) i++;
  if (words && (i & 3) === 0) {
    let w = i >> 2;
    const last = end >> 2;
    if (set) while (w < last && !HAS_ZERO_BYTE(words[w]!)) w++;
    else while (w < last && words[w] === 0) w++;
    i = w << 2;
  }
  while (i < end && (data[i] !== 0) === set) i++;
  return i;
}

function polygonRegion(polygon: readonly Point[]): Region {
  const ys = polygon.map(([, y]) => y);
  const top = Math.min(...ys);
  const spans: number[][] = Array.from({ length: Math.max(...ys) - top + 1 }, () => []);
  filledPolygon((y, a, b) => spans[y - top]!.push(a, b), polygon);
  return { top, rows: spans.map(mergeRuns) };
}

/** Sorted, overlapping or touching [a, b] pairs merged into disjoint runs. */
function mergeRuns(pairs: readonly number[]): Int32Array {
  const order = Array.from({ length: pairs.length / 2 }, (_, k) => k).sort((p, q) => pairs[2 * p]! - pairs[2 * q]!);
  const merged: number[] = [];
  for (const k of order) {
    const [a, b] = [pairs[2 * k]!, pairs[2 * k + 1]!];
    const last = merged.length - 1;
    if (last > 0 && a <= merged[last]! + 1) merged[last] = Math.max(merged[last]!, b);
    else merged.push(a, b);
  }
  return Int32Array.from(merged);
}

/** Hands every run of set pixels, row by row, to `sink` in image coordinates. */
export function forEachRun(region: Region, sink: SpanSink): void {
  region.rows.forEach((runs, r) => {
    for (let k = 0; k < runs.length; k += 2) sink(region.top + r, runs[k]!, runs[k + 1]!);
  });
}

export function regionArea(region: Region): number {
  let area = 0;
  forEachRun(region, (_, a, b) => (area += b - a + 1));
  return area;
}

/** sv's calculate_masks_centroids: the mean of the pixel centres (x + 0.5, y + 0.5); (0, 0) if empty. */
export function regionCentroid(region: Region): Point {
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  forEachRun(region, (y, a, b) => {
    const n = b - a + 1;
    count += n;
    sumX += (n * (a + b + 1)) / 2;
    sumY += n * (y + 0.5);
  });
  return count === 0 ? [0, 0] : [sumX / count, sumY / count];
}

/**
 * The outline cv2.findContours + polylines would draw around a region: its border pixels (set,
 * with a 4-neighbour unset) stroked with the thickness. In each row these are the runs' ends and
 * the stretches of a run the row above or below does not cover.
 */
export function regionOutline(region: Region, sink: SpanSink, thickness: number): void {
  const { top, rows } = region;
  const stroke = halfWidth(thickness) === 0 ? sink : (y: number, a: number, b: number): void => line(sink, a, y, b, y, thickness);
  rows.forEach((runs, r) => {
    for (let k = 0; k < runs.length; k += 2) {
      const a = runs[k]!;
      const b = runs[k + 1]!;
      stroke(top + r, a, a);
      stroke(top + r, b, b);
      for (const neighbour of [rows[r - 1] ?? NO_RUNS, rows[r + 1] ?? NO_RUNS]) uncovered(a, b, neighbour, (p, q) => stroke(top + r, p, q));
    }
  });
}

/** The stretches of [a, b] that none of `runs` covers. */
function uncovered(a: number, b: number, runs: Int32Array, emit: (p: number, q: number) => void): void {
  let from = a;
  for (let k = 0; k < runs.length && from <= b; k += 2) {
    const [start, end] = [runs[k]!, runs[k + 1]!];
    if (end < from) continue;
    if (start > b) break;
    if (start > from) emit(from, start - 1);
    from = Math.max(from, end + 1);
  }
  if (from <= b) emit(from, b);
}
