/**
 * The geometry of lines and zones that analytics blocks check tracked objects against: fields'
 * values checked as Roboflow's blocks check them, and the anchor points of detections
 * (supervision's Position).
 */
import type { Detections } from "@cvflow/engine";
import { invalidField } from "../errors.js";
import { anchorPoint, POSITIONS } from "../visualizations/draw/anchors.js";
import type { Point } from "../visualizations/draw/shapes.js";

export type { Point };

/** supervision's Position names: the values of a `triggering_anchor` field. */
export const ANCHOR_POSITIONS = POSITIONS;

/** Every anchor of detection i, one per position. */
export function anchorsOf(detections: Detections, i: number, positions: readonly string[]): Point[] {
  return positions.map((position) => anchorPoint(detections, i, position));
}

const isPoint = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === "number" && Number.isFinite(c));

/** A `line_segment`: exactly two points of two numbers each. */
export function readLineSegment(value: unknown, blockType: string): [Point, Point] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw invalidField(`${blockType} requires line_segment to be a list of exactly 2 points`);
  }
  if (value.some((p) => !Array.isArray(p) || p.length !== 2)) {
    throw invalidField(`${blockType} requires each point of line_segment to be a list of exactly 2 coordinates`);
  }
  if (!value.every(isPoint)) throw invalidField(`${blockType} requires each coordinate of line_segment to be a number`);
  const [start, end] = value as unknown as [Point, Point];
  if (start[0] === end[0] && start[1] === end[1]) throw invalidField(`${blockType} requires line_segment's 2 points to differ`);
  return [start, end];
}

/** One polygon `zone`: at least three points of two numbers each. */
export function readPolygon(value: unknown, blockType: string): Point[] {
  if (!Array.isArray(value) || value.length < 3) throw invalidField(`${blockType} requires zone to be a list of at least 3 points`);
  if (value.some((p) => !Array.isArray(p) || p.length !== 2)) {
    throw invalidField(`${blockType} requires each point of zone to be a list of exactly 2 coordinates`);
  }
  if (!value.every(isPoint)) throw invalidField(`${blockType} requires each coordinate of zone to be a number`);
  return value as Point[];
}

/**
 * A `zone` that may be one polygon (a list of points) or several (a list of polygons), told
 * apart by how deep its lists nest, as Roboflow's time_in_zone@v3 does. An empty list is no zone.
 */
export function readPolygons(value: unknown, blockType: string): Point[][] {
  const depth = nestingDepth(value, blockType);
  if (depth > 3) throw invalidField(`${blockType} requires zone to be a list of points or a list of polygons; it nests deeper`);
  const polygons = (depth === 2 ? [value] : value) as unknown[];
  return polygons.map((polygon) => readPolygon(polygon, blockType));
}

function nestingDepth(value: unknown, blockType: string): number {
  if (!Array.isArray(value)) return 0;
  const depths = new Set(value.map((item) => nestingDepth(item, blockType)));
  if (depths.size === 0) return 1;
  if (depths.size > 1) throw invalidField(`${blockType} requires zone's lists to nest evenly (points, or polygons of points)`);
  return 1 + [...depths][0]!;
}

/** A `reference_path`: at least two points of two numbers each, in the order an object should pass them. */
export function readPath(value: unknown, blockType: string): Point[] {
  if (!Array.isArray(value) || value.length < 2) throw invalidField(`${blockType} requires reference_path to be a list of at least 2 points`);
  if (value.some((p) => !Array.isArray(p) || p.length !== 2)) {
    throw invalidField(`${blockType} requires each point of reference_path to be a list of exactly 2 coordinates`);
  }
  if (!value.every(isPoint)) throw invalidField(`${blockType} requires each coordinate of reference_path to be a number`);
  return value as Point[];
}
