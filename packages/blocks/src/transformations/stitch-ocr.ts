/**
 * The three ways Roboflow's Stitch OCR Detections orders OCR detections (one word or character
 * each, the text in its class name) into text. Sorts are stable where numpy's argsort may not be;
 * rounding is numpy's, half to even.
 * - tolerance: boxes rounded to whole pixels; lines are the boxes whose top edge (left edge when
 *   vertical) rounds to one multiple of `tolerance`; within a line by the left (top) edge. The line
 *   separator is one of the joined parts, so `delimiter` stands on both sides of it, as in Roboflow's.
 * - otsu: lines gathered by centre within half the median box height; the gaps between neighbours,
 *   divided by their mean width, split into letter and word gaps by Otsu's threshold over a
 *   histogram of every line's gaps, when the gaps are bimodal.
 * - collimate: greedy chains, each box followed by the next one aligned with it within
 *   max(height)/2 + tolerance, for skewed or curved text.
 */
import type { Detections } from "@cvflow/engine";
import { roundHalfEven } from "../common/python-numbers.js";

export const READING_DIRECTIONS = ["left_to_right", "right_to_left", "vertical_top_to_bottom", "vertical_bottom_to_top", "auto"] as const;
export type ReadingDirection = Exclude<(typeof READING_DIRECTIONS)[number], "auto">;

const isVertical = (direction: ReadingDirection): boolean => direction === "vertical_top_to_bottom" || direction === "vertical_bottom_to_top";
const lineSeparator = (direction: ReadingDirection): string => (direction === "left_to_right" || direction === "right_to_left" ? "\n" : " ");

/** Roboflow's "auto": horizontal when the boxes are on average wider than tall. */
export function detectReadingDirection(d: Detections): ReadingDirection {
  if (d.length === 0) return "left_to_right";
  let widths = 0;
  let heights = 0;
  for (let i = 0; i < d.length; i++) {
    const [x1, y1, x2, y2] = d.box(i);
    widths += x2 - x1;
    heights += y2 - y1;
  }
  return widths / d.length > heights / d.length ? "left_to_right" : "vertical_top_to_bottom";
}

/** Indices 0..n-1 sorted by key (stable). */
function argsort(keys: readonly number[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function stitchByTolerance(d: Detections, direction: ReadingDirection, tolerance: number, delimiter: string): string {
  if (d.length === 0) return "";
  const vertical = isVertical(direction);
  // Rounded boxes, x and y swapped when reading vertically: [primary-axis start, line coordinate].
  const rows = Array.from({ length: d.length }, (_, i) => {
    const [x1, y1] = d.box(i).map((v) => roundHalfEven(v));
    return vertical ? { along: y1!, across: x1! } : { along: x1!, across: y1! };
  });
  const lines = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const key = roundHalfEven(row.across / tolerance) * tolerance;
    const line = lines.get(key);
    if (line) line.push(i);
    else lines.set(key, [i]);
  });
  const keys = [...lines.keys()].sort((a, b) => a - b);
  if (direction === "vertical_bottom_to_top") keys.reverse();
  const forward = direction === "left_to_right" || direction === "vertical_top_to_bottom";
  const parts: string[] = [];
  keys.forEach((key, n) => {
    const line = lines.get(key)!;
    const order = argsort(line.map((i) => (forward ? rows[i]!.along : -rows[i]!.along)));
    for (const k of order) parts.push(d.className[line[k]!]!);
    if (n < keys.length - 1) parts.push(lineSeparator(direction));
  });
  return parts.join(delimiter);
}

/** numpy's histogram bin centres over [min, max] (widened by 0.5 each side when they are equal). */
function histogramCentres(values: readonly number[], bins: number): number[] {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  const step = (high - low) / bins;
  return Array.from({ length: bins }, (_, i) => {
    const left = i === 0 ? low : low + i * step;
    const right = i + 1 === bins ? high : low + (i + 1) * step;
    return (left + right) / 2;
  });
}

/** Otsu's threshold between letter and word gaps, and whether the gaps split in two groups at all. */
export function otsuThreshold(gaps: readonly number[]): { threshold: number; bimodal: boolean } {
  if (gaps.length < 2) return { threshold: 0, bimodal: false };
  let best = { threshold: 0, variance: 0, belowMean: 0, aboveMean: 0 };
  for (const t of histogramCentres(gaps, Math.min(50, gaps.length))) {
    const below = gaps.filter((g) => g <= t);
    const above = gaps.filter((g) => g > t);
    if (below.length === 0 || above.length === 0) continue;
    const variance = below.length * above.length * (mean(below) - mean(above)) ** 2;
    if (variance > best.variance) best = { threshold: t, variance, belowMean: mean(below), aboveMean: mean(above) };
  }
  const m = mean(gaps);
  const std = Math.sqrt(mean(gaps.map((g) => (g - m) ** 2)));
  const separation = Math.abs(best.aboveMean - best.belowMean);
  const ratio = std > 0 ? separation / std : 0;
  const relative = ratio > 1.5 && separation > 0.3;
  return { threshold: best.threshold, bimodal: best.aboveMean > 0.3 && (separation > 0.3 || relative) };
}

export function stitchByOtsu(d: Detections, direction: ReadingDirection, delimiter: string, multiplier: number): string {
  if (d.length === 0) return "";
  const vertical = isVertical(direction);
  const along: number[] = [];
  const across: number[] = [];
  const widths: number[] = [];
  const heights: number[] = [];
  for (let i = 0; i < d.length; i++) {
    const [x1, y1, x2, y2] = d.box(i);
    along.push(vertical ? (y1 + y2) / 2 : (x1 + x2) / 2);
    across.push(vertical ? (x1 + x2) / 2 : (y1 + y2) / 2);
    widths.push(vertical ? y2 - y1 : x2 - x1);
    heights.push(vertical ? x2 - x1 : y2 - y1);
  }
  const lineTolerance = median(heights) * 0.5;
  const byAcross = argsort(across);
  const lines: number[][] = [];
  let current = [byAcross[0]!];
  let currentAcross = across[byAcross[0]!]!;
  for (const i of byAcross.slice(1)) {
    if (Math.abs(across[i]! - currentAcross) <= lineTolerance) {
      current.push(i);
      currentAcross = mean(current.map((j) => across[j]!));
    } else {
      lines.push(current);
      current = [i];
      currentAcross = across[i]!;
    }
  }
  lines.push(current);
  const lineOrder = argsort(lines.map((line) => mean(line.map((j) => across[j]!))));
  if (direction === "vertical_bottom_to_top") lineOrder.reverse();
  const backward = direction === "right_to_left" || direction === "vertical_bottom_to_top";
  const sortedLines: { members: number[]; gaps: number[] | null }[] = [];
  const allGaps: number[] = [];
  for (const l of lineOrder) {
    const line = lines[l]!;
    if (line.length === 1) {
      sortedLines.push({ members: line, gaps: null });
      continue;
    }
    const order = argsort(line.map((j) => along[j]!));
    if (backward) order.reverse();
    const members = order.map((k) => line[k]!);
    const gaps = members.slice(1).map((cur, k) => {
      const prev = members[k]!;
      const scale = (widths[prev]! + widths[cur]!) / 2;
      const raw = backward ? along[prev]! - along[cur]! - scale : along[cur]! - along[prev]! - scale;
      return scale > 0 ? raw / scale : 0;
    });
    allGaps.push(...gaps);
    sortedLines.push({ members, gaps });
  }
  const { threshold, bimodal } = otsuThreshold(allGaps);
  const cut = threshold * multiplier;
  const names = d.className;
  const texts = sortedLines.map(({ members, gaps }) => {
    if (gaps === null) return names[members[0]!]!;
    if (!bimodal) return members.map((j) => names[j]!).join(delimiter);
    const words: number[][] = [[members[0]!]];
    members.slice(1).forEach((j, k) => {
      if (gaps[k]! > cut) words.push([j]);
      else words[words.length - 1]!.push(j);
    });
    return words.map((word) => word.map((j) => names[j]!).join(delimiter)).join(delimiter === "" ? " " : delimiter);
  });
  return texts.join(lineSeparator(direction));
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  name: string;
}

function follows(parent: Box, child: Box, direction: ReadingDirection, tolerance: number): boolean {
  if (isVertical(direction)) {
    const aligned = Math.abs(parent.x - child.x) < Math.max(parent.width, child.width) / 2 + tolerance;
    return aligned && (direction === "vertical_top_to_bottom" ? parent.y <= child.y : parent.y >= child.y);
  }
  const aligned = Math.abs(parent.y - child.y) < Math.max(parent.height, child.height) / 2 + tolerance;
  return aligned && (direction === "left_to_right" ? parent.x <= child.x : parent.x >= child.x);
}

export function stitchByCollimation(d: Detections, direction: ReadingDirection, delimiter: string, tolerance: number): string {
  if (d.length === 0) return "";
  const vertical = isVertical(direction);
  const boxes: Box[] = Array.from({ length: d.length }, (_, i) => {
    const [x1, y1, x2, y2] = d.box(i);
    return { x: (x1 + x2) / 2, y: (y1 + y2) / 2, width: x2 - x1, height: y2 - y1, name: d.className[i]! };
  });
  const key = (b: Box): number => (vertical ? b.y : b.x);
  const descending = vertical ? direction === "vertical_bottom_to_top" : direction === "right_to_left";
  // Python's sorted(reverse=True) keeps ties in their order, as this does.
  const remaining = [...boxes].sort((a, b) => (descending ? key(b) - key(a) : key(a) - key(b)));
  const lines: Box[][] = [[remaining.shift()!]];
  while (remaining.length > 0) {
    let found = false;
    for (const line of lines) {
      let parent = line[line.length - 1]!;
      for (const candidate of [...remaining]) {
        if (follows(parent, candidate, direction, tolerance)) {
          found = true;
          line.push(candidate);
          parent = candidate;
          remaining.splice(remaining.indexOf(candidate), 1);
        }
      }
    }
    if (!found && remaining.length > 0) lines.push([remaining.shift()!]);
  }
  const lineKey = (line: Box[]): number => mean(line.map((b) => (vertical ? b.x : b.y)));
  const reverse = direction === "vertical_bottom_to_top";
  lines.sort((a, b) => (reverse ? lineKey(b) - lineKey(a) : lineKey(a) - lineKey(b)));
  return lines.map((line) => line.map((b) => b.name).join(delimiter)).join(lineSeparator(direction));
}
