/**
 * Distance Measurement: the gap between two objects' boxes along one axis, in pixels and in
 * centimeters, the scale given as pixels per centimeter or measured on a reference object of known
 * size (the average of its width and height ratios). As Roboflow's block: boxes are rounded to
 * whole pixels (half to even) first; each object is the first detection of its class after which
 * both classes have been seen (a later detection of the first class replaces an earlier one until
 * then); boxes that touch or overlap, or overlap along the axis, are 0 apart.
 */
import { defineBlock, type Detections, type FieldSpec } from "@cvflow/engine";
import { BOX_KINDS } from "../analytics/analytics-fields.js";
import { roundHalfEven } from "../common/python-numbers.js";
import { detectionNotFound } from "../errors.js";

type Box = [number, number, number, number];
type Axis = "horizontal" | "vertical";

interface DistanceMeasurementParams {
  [key: string]: unknown;
  predictions: Detections;
  object_1_class_name: string;
  object_2_class_name: string;
  reference_axis: Axis;
  calibration_method: "reference object" | "pixel to centimeter";
  reference_object_class_name: string;
  reference_width: number;
  reference_height: number;
  pixel_ratio: number;
}

const roundedBox = (d: Detections, i: number): Box => d.box(i).map((v) => roundHalfEven(v)) as Box;

function findObjects(d: Detections, first: string, second: string): [Box | undefined, Box | undefined] {
  let one: Box | undefined;
  let two: Box | undefined;
  for (let i = 0; i < d.length && !(one && two); i++) {
    if (d.className[i] === first) one = roundedBox(d, i);
    else if (d.className[i] === second) two = roundedBox(d, i);
  }
  return [one, two];
}

/** Whether the boxes overlap or touch (edges in common count). */
function overlap(a: Box, b: Box): boolean {
  return !(a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1]);
}

/** Whether the boxes' extents along the axis are disjoint (touching counts as disjoint). */
function axisGap(a: Box, b: Box, axis: Axis): boolean {
  const [lo, hi] = axis === "horizontal" ? [0, 2] : [1, 3];
  return !(a[lo]! < b[hi]! && a[hi]! > b[lo]!);
}

function gapPixels(a: Box, b: Box, axis: Axis): number {
  const [lo, hi] = axis === "horizontal" ? [0, 2] : [1, 3];
  return b[lo]! > a[hi]! ? Math.abs(b[lo]! - a[hi]!) : Math.abs(a[lo]! - b[hi]!);
}

const positive = (description: string, defaultValue: number): FieldSpec => ({
  description,
  kinds: ["float"],
  schema: { type: "number", exclusiveMinimum: 0 },
  default: defaultValue,
});

export const distanceMeasurementBlock = defineBlock<DistanceMeasurementParams>({
  manifest: {
    type: "roboflow_core/distance_measurement@v1",
    name: "Distance Measurement",
    description: "Measure the distance between two bounding boxes on a 2D plane using a camera positioned perpendicular to the plane.",
    family: "classical_cv",
    fields: {
      predictions: { description: "Detections holding the two objects (and the reference object, when it calibrates).", kinds: BOX_KINDS, required: true },
      object_1_class_name: { description: "Class name of the first object (exact, case-sensitive).", schema: { type: "string" }, required: true },
      object_2_class_name: { description: "Class name of the second object (exact, case-sensitive).", schema: { type: "string" }, required: true },
      reference_axis: {
        description: "Axis of the gap: horizontal (left-right, x) or vertical (top-bottom, y).",
        schema: { type: "string", enum: ["horizontal", "vertical"] },
        required: true,
      },
      calibration_method: {
        description: "How pixels become centimeters: from a reference object of known size in the detections, or a given pixels-per-centimeter ratio.",
        schema: { type: "string", enum: ["reference object", "pixel to centimeter"] },
        required: true,
      },
      reference_object_class_name: {
        description: "Class name of the reference object (calibration_method 'reference object').",
        kinds: ["string"],
        schema: { type: "string" },
        default: "reference-object",
      },
      reference_width: positive("Real width of the reference object, centimeters (calibration_method 'reference object').", 2.5),
      reference_height: positive("Real height of the reference object, centimeters (calibration_method 'reference object').", 2.5),
      pixel_ratio: positive("Pixels per centimeter (calibration_method 'pixel to centimeter').", 100),
    },
    outputs: [
      { name: "distance_cm", kinds: ["integer"], description: "The gap in centimeters (a float, declared integer as in Roboflow's manifest)." },
      { name: "distance_pixel", kinds: ["integer"], description: "The gap in whole pixels." },
    ],
  },
  run(params) {
    const { predictions, object_1_class_name: first, object_2_class_name: second, reference_axis: axis } = params;
    const [one, two] = findObjects(predictions, first, second);
    if (!one || !two) throw detectionNotFound(`Reference class '${first}' or '${second}' not found in predictions`, [first, second]);
    if (overlap(one, two) || !axisGap(one, two, axis)) return { distance_cm: 0, distance_pixel: 0 };
    let pixelsPerCm = params.pixel_ratio;
    if (params.calibration_method === "reference object") {
      const name = params.reference_object_class_name;
      const index = predictions.className.indexOf(name);
      if (index < 0) throw detectionNotFound(`Reference class '${name}' not found in predictions`, [name]);
      const [x1, y1, x2, y2] = roundedBox(predictions, index);
      pixelsPerCm = (Math.abs(x2 - x1) / params.reference_width + Math.abs(y2 - y1) / params.reference_height) / 2;
    }
    const pixels = gapPixels(one, two, axis);
    return { distance_cm: pixels / pixelsPerCm, distance_pixel: pixels };
  },
});
