/**
 * Operations on a whole Detections value: extracting a property of every detection, filtering
 * with a condition, moving, resizing, selecting, sorting and renaming. Each returns a new
 * Detections; the input is never changed.
 */
import { Detections, serializeDetections } from "@cvflow/engine";
import { DETECTIONS_PROPERTIES, detectionsProperty } from "../detection-properties.js";
import { invalidOperationInput, operationFailed, undeclaredSymbol } from "../../errors.js";
import { defineOperation, type Globals, type OperationFunction } from "../operation-spec.js";
import { statementGroupRef } from "../schema-refs.js";
import { SingleDetection, isPlainObject } from "../values.js";

/** Wraps a Detections → value function with the type check every detections operation makes. */
function onDetections(operation: string, at: string, work: (d: Detections, globals: Globals) => unknown): OperationFunction {
  return (value, globals) => {
    if (!(value instanceof Detections)) throw invalidOperationInput(operation, at, "detections", value);
    return work(value, globals);
  };
}

const detectionsPropertyExtract = defineOperation<{ property_name: string }>({
  type: "DetectionsPropertyExtract",
  description: "A list with the property of each detection; anchors are [x, y] rounded to whole pixels.",
  properties: { property_name: { enum: DETECTIONS_PROPERTIES } },
  required: ["property_name"],
  compile: ({ property_name }, { at }) =>
    onDetections("DetectionsPropertyExtract", at, (d) => {
      const values = detectionsProperty(d, property_name);
      if (!values) throw operationFailed("DetectionsPropertyExtract", at, `these detections carry no "${property_name}" data`);
      return values;
    }),
});

const detectionsFilter = defineOperation<{ filter_operation: unknown }>({
  type: "DetectionsFilter",
  description: "Keeps the detections for which filter_operation holds; each detection is the operand `_`.",
  properties: { filter_operation: statementGroupRef },
  required: ["filter_operation"],
  compile: ({ filter_operation }, { at, compileStatement }) => {
    const keep = compileStatement(filter_operation, `${at}/filter_operation`);
    return onDetections("DetectionsFilter", at, (d, globals) => {
      const params: Record<string, unknown> = { ...globals };
      return d.filter((i) => {
        params["_"] = new SingleDetection(d, i);
        return keep(params);
      });
    });
  },
});

function moveBoxes(d: Detections, delta: readonly [number, number, number, number]): Detections {
  const xyxy = d.xyxy.map((v, i) => v + delta[i % 4]!);
  return d.with({ xyxy });
}

const detectionsOffset = defineOperation<{ offset_x: number; offset_y: number }>({
  type: "DetectionsOffset",
  description: "Grows each box by offset_x in width and offset_y in height, around its centre.",
  properties: { offset_x: { type: "integer" }, offset_y: { type: "integer" } },
  required: ["offset_x", "offset_y"],
  compile: ({ offset_x, offset_y }, { at }) =>
    onDetections("DetectionsOffset", at, (d) => moveBoxes(d, [-offset_x / 2, -offset_y / 2, offset_x / 2, offset_y / 2])),
});

const detectionsShift = defineOperation<{ shift_x: number; shift_y: number }>({
  type: "DetectionsShift",
  description: "Moves each box by shift_x, shift_y.",
  properties: { shift_x: { type: "integer" }, shift_y: { type: "integer" } },
  required: ["shift_x", "shift_y"],
  compile: ({ shift_x, shift_y }, { at }) =>
    onDetections("DetectionsShift", at, (d) => moveBoxes(d, [shift_x, shift_y, shift_x, shift_y])),
});

const centreX = (d: Detections, i: number): number => (d.xyxy[i * 4]! + d.xyxy[i * 4 + 2]!) / 2;
const centreY = (d: Detections, i: number): number => (d.xyxy[i * 4 + 1]! + d.xyxy[i * 4 + 3]!) / 2;

/** Index of the first detection scoring best (`better(a, b)`: a beats b). */
function bestIndex(d: Detections, score: (i: number) => number, better: (a: number, b: number) => boolean): number {
  let best = 0;
  for (let i = 1; i < d.length; i++) if (better(score(i), score(best))) best = i;
  return best;
}

const SELECTIONS: Record<string, (d: Detections) => number> = {
  first: () => 0,
  last: (d) => d.length - 1,
  left_most: (d) => bestIndex(d, (i) => centreX(d, i), (a, b) => a < b),
  right_most: (d) => bestIndex(d, (i) => centreX(d, i), (a, b) => a > b),
  top_confidence: (d) => bestIndex(d, (i) => d.confidence[i]!, (a, b) => a > b),
};

const detectionsSelection = defineOperation<{ mode: string }>({
  type: "DetectionsSelection",
  description: "Keeps one detection: first, last, left_most / right_most (box centre) or top_confidence.",
  properties: { mode: { enum: Object.keys(SELECTIONS) } },
  required: ["mode"],
  compile: ({ mode }, { at }) => {
    const select = SELECTIONS[mode]!;
    return onDetections("DetectionsSelection", at, (d) => (d.length === 0 ? d : d.select([select(d)])));
  },
});

const SORT_KEYS: Record<string, (d: Detections, i: number) => number> = {
  confidence: (d, i) => d.confidence[i]!,
  x_min: (d, i) => d.xyxy[i * 4]!,
  x_max: (d, i) => d.xyxy[i * 4 + 2]!,
  y_min: (d, i) => d.xyxy[i * 4 + 1]!,
  y_max: (d, i) => d.xyxy[i * 4 + 3]!,
  // unclamped, like supervision's box_area (Detections.area clamps inverted boxes to 0)
  size: (d, i) => (d.xyxy[i * 4 + 2]! - d.xyxy[i * 4]!) * (d.xyxy[i * 4 + 3]! - d.xyxy[i * 4 + 1]!),
  center_x: centreX,
  center_y: centreY,
};

const sortDetections = defineOperation<{ mode: string; ascending: boolean }>({
  type: "SortDetections",
  description: "Orders detections by confidence, a box coordinate, size, center_x or center_y.",
  properties: { mode: { enum: Object.keys(SORT_KEYS) }, ascending: { type: "boolean", default: true } },
  required: ["mode"],
  compile: ({ mode, ascending }, { at }) => {
    const key = SORT_KEYS[mode]!;
    return onDetections("SortDetections", at, (d) => {
      const order = Array.from({ length: d.length }, (_, i) => i).sort((a, b) => key(d, a) - key(d, b));
      // Roboflow reverses the ascending order, so equal keys come out in reverse input order
      return d.select(ascending ? order : order.reverse());
    });
  },
});

/** A field given either literally or as the name of a parameter holding it. */
function resolveParameter(value: unknown, field: string, globals: Globals, at: string): unknown {
  if (typeof value !== "string") return value;
  if (!Object.hasOwn(globals, value)) throw undeclaredSymbol(value, `${at}/${field}`, Object.keys(globals));
  return globals[value];
}

function renamedClassIds(
  names: readonly string[],
  ids: ArrayLike<number>,
  classMap: Record<string, string>,
  strict: boolean,
  offset: number,
): Map<string, number> {
  const targets = [...new Set(Object.values(classMap))].sort();
  if (strict) return new Map(targets.map((name, id) => [name, id]));
  const mapping = new Map(names.map((name, i) => [name, ids[i]!]));
  let next = offset;
  for (const name of targets) if (!mapping.has(name)) mapping.set(name, next++);
  return mapping;
}

const detectionsRename = defineOperation<{ class_map: unknown; strict: unknown; new_classes_id_offset: number }>({
  type: "DetectionsRename",
  description:
    "Renames classes by class_map (or the parameter it names). strict: every class must be mapped and " +
    "ids become the index of the new name among the sorted new names; otherwise unmapped classes keep " +
    "their ids and new names get ids from new_classes_id_offset.",
  properties: {
    class_map: { anyOf: [{ type: "object", additionalProperties: { type: "string" } }, { type: "string" }] },
    strict: { type: ["boolean", "string"], default: true },
    new_classes_id_offset: { type: "integer", default: 1024 },
  },
  required: ["class_map"],
  compile: (definition, { at }) =>
    onDetections("DetectionsRename", at, (d, globals) => {
      const classMap = resolveParameter(definition.class_map, "class_map", globals, at);
      if (!isPlainObject(classMap)) throw invalidOperationInput("DetectionsRename", at, "a dictionary as class_map", classMap);
      const strict = resolveParameter(definition.strict, "strict", globals, at);
      if (typeof strict !== "boolean") throw invalidOperationInput("DetectionsRename", at, "true or false as strict", strict);
      const map = classMap as Record<string, string>;
      const missing = strict ? d.className.find((name) => !Object.hasOwn(map, name)) : undefined;
      if (missing !== undefined) throw operationFailed("DetectionsRename", at, `class "${missing}" is not in class_map`);
      const ids = renamedClassIds(d.className, d.classId, map, strict, definition.new_classes_id_offset);
      const className = d.className.map((name) => (Object.hasOwn(map, name) ? map[name]! : name));
      return d.with({ className, classId: className.map((name) => ids.get(name)!) });
    }),
});

const detectionsToDictionary = defineOperation({
  type: "DetectionsToDictionary",
  description: "The detections in the wire format: {image, predictions: [{x, y, width, height, ...}]}.",
  compile: (_, { at }) => onDetections("DetectionsToDictionary", at, (d) => serializeDetections(d)),
});

const pickDetectionsByParentClass = defineOperation<{ parent_class: string }>({
  type: "PickDetectionsByParentClass",
  description: "Keeps the detections of parent_class, then the others whose box centre lies in one of them.",
  properties: { parent_class: { type: "string" } },
  required: ["parent_class"],
  compile: ({ parent_class }, { at }) =>
    onDetections("PickDetectionsByParentClass", at, (d) => {
      const all = Array.from({ length: d.length }, (_, i) => i);
      const parents = all.filter((i) => d.className[i] === parent_class);
      if (parents.length === 0) return d.select([]);
      const inside = (i: number) =>
        parents.some((p) => {
          const [x1, y1, x2, y2] = d.box(p);
          const cx = centreX(d, i);
          const cy = centreY(d, i);
          return x1 <= cx && cx <= x2 && y1 <= cy && cy <= y2;
        });
      const children = all.filter((i) => d.className[i] !== parent_class && inside(i));
      return d.select([...parents, ...children]);
    }),
});

export const detectionsOperations = [
  detectionsPropertyExtract,
  detectionsFilter,
  detectionsOffset,
  detectionsShift,
  detectionsSelection,
  sortDetections,
  detectionsRename,
  detectionsToDictionary,
  pickDetectionsByParentClass,
];
