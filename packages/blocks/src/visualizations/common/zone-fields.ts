/**
 * What the zone visualizations (Polygon Zone, Line Counter, Reference Path) share: their colour
 * field and the reading of the points they are given as plain lists ([[x, y], ...]).
 */
import type { FieldSpec } from "@cvflow/engine";
import { invalidField } from "../../errors.js";
import type { Point } from "../draw/shapes.js";

/** Roboflow's zone green. */
export function zoneColorField(description: string): FieldSpec {
  return { description, kinds: ["string"], schema: { type: "string" }, default: "#5bb573" };
}

export function zoneOpacityField(description: string): FieldSpec {
  return { description, kinds: ["float_zero_to_one"], schema: { type: "number", minimum: 0, maximum: 1 }, default: 0.3 };
}

/** A list of [x, y, ...] points (extra coordinates ignored) as integer pixels, truncated as numpy's astype(int32). */
export function readPoints(value: unknown, field: string): Point[] {
  if (!Array.isArray(value)) throw invalidField(`${field} must be a list of [x, y] points, got ${JSON.stringify(value)}`);
  return value.map((point, i) => {
    if (!Array.isArray(point) || point.length < 2 || typeof point[0] !== "number" || typeof point[1] !== "number") {
      throw invalidField(`${field}[${i}] must be an [x, y] point of numbers, got ${JSON.stringify(point)}`);
    }
    return [Math.trunc(point[0]), Math.trunc(point[1])] as const;
  });
}

/** True when `value` looks like one list of points ([[x, y], ...]) rather than a list of such lists. */
export function isPointList(value: readonly unknown[]): boolean {
  const first = value[0];
  return Array.isArray(first) && typeof first[0] === "number";
}
