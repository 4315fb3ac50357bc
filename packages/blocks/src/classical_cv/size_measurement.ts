/**
 * Size Measurement: each object's width and height in the units of a reference object of known
 * size, as Roboflow's block measures them. An instance's size is the minimum-area rotated
 * rectangle (OpenCV's minAreaRect) around its mask's largest contour, the side nearer horizontal
 * being its width; a detection without a mask is its box. The reference is the most confident
 * reference detection, or a polygon given as a list of points; its measured width and height give
 * one scale per axis. No reference (or one that measures nothing) gives null; an object that
 * measures nothing gives null in its place.
 */
import { defineBlock, Detections, type FieldSpec } from "@cvflow/engine";
import { BOX_KINDS } from "../analytics/analytics-fields.js";
import { invalidField } from "../errors.js";
import type { Point } from "../visualizations/draw/shapes.js";
import { contourMat, detectionMask, maskContours } from "./mask-geometry.js";
import { withMats, type CV, type MatScope } from "./opencv.js";

interface SizeMeasurementParams {
  [key: string]: unknown;
  object_predictions: Detections;
  reference_predictions: Detections | unknown[];
  reference_dimensions: string | number[];
}

export interface Dimensions {
  width: number;
  height: number;
  longer: number;
  shorter: number;
}

type Size = [number, number] | null;

/** How far an edge's angle (degrees) is from horizontal, 0 to 90. */
function horizontalScore(angle: number): number {
  const mod = Math.abs(angle % 180);
  return Math.min(mod, 180 - mod);
}

/** Width (the side nearer horizontal) and height of the contour's minimum-area rectangle. */
function alignedSize(cv: CV, scope: MatScope, contour: readonly Point[]): [number, number] {
  const rect = cv.minAreaRect(contourMat(cv, scope, contour));
  // float32 corners, as cv2.boxPoints gives them.
  const [p0, p1, p2] = cv.RotatedRect.points(rect).map(({ x, y }) => [Math.fround(x), Math.fround(y)] as const);
  const e1 = [p1![0] - p0![0], p1![1] - p0![1]] as const;
  const e2 = [p2![0] - p1![0], p2![1] - p1![1]] as const;
  const degrees = (e: readonly [number, number]) => (Math.atan2(e[1], e[0]) * 180) / Math.PI;
  const [l1, l2] = [Math.hypot(...e1), Math.hypot(...e2)];
  return horizontalScore(degrees(e1)) < horizontalScore(degrees(e2)) ? [l1, l2] : [l2, l1];
}

function detectionSize(cv: CV, scope: MatScope, d: Detections, i: number): Size {
  const mask = detectionMask(d, i);
  if (!mask) {
    const [x1, y1, x2, y2] = d.box(i);
    return [x2 - x1, y2 - y1];
  }
  // The contour of the largest area (the first of equals); none with a positive area measures nothing.
  let best: Point[] | undefined;
  let bestArea = 0;
  for (const contour of maskContours(cv, scope, mask)) {
    const area = cv.contourArea(contourMat(cv, scope, contour));
    if (area > bestArea) [best, bestArea] = [contour, area];
  }
  return best ? alignedSize(cv, scope, best) : null;
}

function polygonSize(cv: CV, scope: MatScope, polygon: unknown[]): Size {
  const points = polygon.map((p) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === "number")) throw invalidField("reference_predictions given as a polygon must be a list of [x, y] points");
    return [Math.trunc(p[0] as number), Math.trunc(p[1] as number)] as Point;
  });
  if (points.length < 3 || cv.contourArea(contourMat(cv, scope, points)) <= 0) return null;
  return alignedSize(cv, scope, points);
}

function referenceDimensions(value: string | number[]): [number, number] {
  const parts = typeof value === "string" ? value.split(",").map((p) => Number(p.trim())) : value;
  if (parts.length !== 2 || parts.some((v) => typeof v !== "number" || Number.isNaN(v))) {
    throw invalidField(`reference_dimensions must be two numbers (width, height), as a list or a 'width,height' string; got ${JSON.stringify(value)}`);
  }
  return [parts[0]!, parts[1]!];
}

const referenceDimensionsField: FieldSpec = {
  description: "Real width and height of the reference object in the units wanted (e.g. inches): [4.5, 3.0] or '4.5,3.0'.",
  kinds: ["string", "list_of_values"],
  schema: { anyOf: [{ type: "string" }, { type: "array", items: { type: "number" } }] },
  required: true,
};

export const sizeMeasurementBlock = defineBlock<SizeMeasurementParams>({
  manifest: {
    type: "roboflow_core/size_measurement@v1",
    name: "Size Measurement",
    description: "Measure the dimensions of objects in relation to a reference object.",
    family: "classical_cv",
    fields: {
      object_predictions: { description: "The objects to measure (masks give rotated sizes, boxes their sides).", kinds: BOX_KINDS, required: true },
      reference_predictions: {
        description: "The reference object: detections (the most confident is used) or a polygon as a list of [x, y] points.",
        kinds: [...BOX_KINDS, "list_of_values"],
        schema: { type: "array" },
        required: true,
      },
      reference_dimensions: referenceDimensionsField,
    },
    outputs: [{ name: "dimensions", kinds: ["list_of_values"], description: "Per object {width, height, longer, shorter} in the reference's units, or null." }],
  },
  async run({ object_predictions: objects, reference_predictions: reference, reference_dimensions }) {
    const [realWidth, realHeight] = referenceDimensions(reference_dimensions);
    return withMats((cv, scope) => {
      let size: Size;
      if (reference instanceof Detections) {
        if (reference.length === 0) return { dimensions: null };
        // The most confident reference (the first of equals, as numpy's argmax).
        const best = reference.confidence.reduce((b, c, i) => (c > reference.confidence[b]! ? i : b), 0);
        size = detectionSize(cv, scope, reference, best);
      } else {
        if (reference.length < 2) return { dimensions: null };
        size = polygonSize(cv, scope, reference);
      }
      if (!size || !size[0] || !size[1]) return { dimensions: null };
      const [scaleX, scaleY] = [realWidth / size[0], realHeight / size[1]];
      const dimensions = Array.from({ length: objects.length }, (_, i): Dimensions | null => {
        const own = detectionSize(cv, scope, objects, i);
        if (!own || !(own[0] > 0) || !(own[1] > 0)) return null;
        const [width, height] = [own[0] * scaleX, own[1] * scaleY];
        return { width, height, longer: Math.max(width, height), shorter: Math.min(width, height) };
      });
      return { dimensions };
    });
  },
});
