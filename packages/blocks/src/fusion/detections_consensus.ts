/**
 * Detections Consensus: fuses the detections several models made on one image by majority vote.
 * Each detection looks, in every other source, for the not-yet-used detection overlapping it most
 * (IoU above the threshold, same class when class-aware); with enough votes the group is merged
 * into one detection and its members are used up.
 */
import { defineBlock, Detections, DETECTION_KINDS, iou, type BitMask } from "@cvflow/engine";
import { combineMasks, emptyMask, maskExtent } from "@cvflow/vision";
import { incompatiblePredictions } from "../errors.js";

const AGGREGATIONS = ["average", "max", "min"] as const;
const MASK_AGGREGATIONS = ["union", "intersection", "max", "min"] as const;
type Aggregation = (typeof AGGREGATIONS)[number];
type MaskAggregation = (typeof MASK_AGGREGATIONS)[number];

interface DetectionsConsensusParams {
  [key: string]: unknown;
  predictions_batches: Detections[];
  required_votes: number;
  class_aware: boolean;
  iou_threshold: number;
  confidence: number;
  classes_to_consider: string[] | null;
  required_objects: number | Record<string, number> | null;
  presence_confidence_aggregation: Aggregation;
  detections_merge_confidence_aggregation: Aggregation;
  detections_merge_coordinates_aggregation: Aggregation;
  detections_merge_mask_aggregation: MaskAggregation;
}

/** One detection: row `index` of source `source`. */
interface Member {
  source: number;
  index: number;
}

function aggregate(values: readonly number[], mode: Aggregation): number {
  if (mode === "max") return Math.max(...values);
  if (mode === "min") return Math.min(...values);
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Index of the first largest (`max`) or smallest (`min`) value. */
function extremeIndex(values: readonly number[], mode: "max" | "min"): number {
  let best = 0;
  values.forEach((v, i) => {
    if (mode === "max" ? v > values[best]! : v < values[best]!) best = i;
  });
  return best;
}

/** `average` is a majority vote over (class name, class id); ties go to the pair seen first. */
function pickClass(names: readonly string[], ids: readonly number[], confidences: readonly number[], mode: Aggregation): number {
  if (mode !== "average") return extremeIndex(confidences, mode);
  const counts = new Map<string, { first: number; count: number }>();
  names.forEach((name, i) => {
    const key = JSON.stringify([name, ids[i]]);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { first: i, count: 1 });
  });
  let best = { first: 0, count: 0 };
  for (const entry of counts.values()) if (entry.count > best.count) best = entry;
  return best.first;
}

function mergeBoxes(boxes: readonly (readonly number[])[], mode: Aggregation): number[] {
  if (mode === "average") return [0, 1, 2, 3].map((k) => boxes.reduce((s, b) => s + b[k]!, 0) / boxes.length);
  const areas = boxes.map(([x1, y1, x2, y2]) => (x2! - x1!) * (y2! - y1!));
  return [...boxes[extremeIndex(areas, mode)]!];
}

function mergeMasks(masks: readonly BitMask[], mode: MaskAggregation): BitMask {
  if (mode === "max" || mode === "min") return masks[extremeIndex(masks.map((m) => maskExtent(m).area), mode)]!;
  return combineMasks(masks, mode);
}

/** The box spanning the mask's set pixels (inclusive pixel indices); all zeros for an empty mask. */
function maskBox(mask: BitMask): number[] {
  const { left, top, right, bottom, area } = maskExtent(mask);
  return area === 0 ? [0, 0, 0, 0] : [left, top, right - 1, bottom - 1];
}

/**
 * One detection standing for the group. Metadata (parent id, data columns) come from the group's
 * first member; the merged detection gets a new id. A merged mask also gives the box, and the
 * first member's polygon (`points`) no longer describes it, so it is dropped.
 */
function mergeGroup(sources: readonly Detections[], group: readonly Member[], p: DetectionsConsensusParams): Detections {
  const of = (m: Member): Detections => sources[m.source]!;
  const confidences = group.map((m) => of(m).confidence[m.index]!);
  const names = group.map((m) => of(m).className[m.index]!);
  const ids = group.map((m) => of(m).classId[m.index]!);
  const chosen = pickClass(names, ids, confidences, p.detections_merge_confidence_aggregation);
  const masks = group.map((m) => of(m).masks?.[m.index] ?? null);
  const shape = masks.find((m) => m !== null);
  // Members without a mask count as empty masks (with an empty window: nothing to store).
  const empty = (s: BitMask): BitMask => emptyMask(s, { left: 0, top: 0, right: 0, bottom: 0 });
  const mask = shape ? mergeMasks(masks.map((m) => m ?? empty(shape)), p.detections_merge_mask_aggregation) : undefined;
  const leader = group[0]!;
  const first = of(leader).select([leader.index]);
  return first.with({
    xyxy: mask ? maskBox(mask) : mergeBoxes(group.map((m) => of(m).box(m.index)), p.detections_merge_coordinates_aggregation),
    confidence: [aggregate(confidences, p.detections_merge_confidence_aggregation)],
    classId: [ids[chosen]!],
    className: [names[chosen]!],
    detectionId: [crypto.randomUUID()],
    masks: mask ? [mask] : undefined,
    keypoints: undefined,
    data: mask ? Object.fromEntries(Object.entries(first.data).filter(([key]) => key !== "points")) : first.data,
  });
}

/** Consensus only makes sense for predictions on one image: their parent ids must agree. */
function assertOneParent(sources: readonly Detections[]): void {
  const parents = new Set(sources.flatMap((d) => d.parentId.filter((id) => id !== null)));
  if (parents.size > 1) {
    throw incompatiblePredictions([...parents]);
  }
}

function presence(
  merged: Detections,
  p: DetectionsConsensusParams,
): { object_present: boolean; presence_confidence: Record<string, number> } {
  const absent = { object_present: false, presence_confidence: {} };
  if (merged.length === 0) return absent;
  let required = p.required_objects ?? 0;
  if (typeof required === "object" && !p.class_aware) required = Object.values(required).reduce((s, n) => s + n, 0);
  if (typeof required === "number" && merged.length < required) return absent;
  const confidences = [...merged.confidence];
  if (!p.class_aware) {
    return { object_present: true, presence_confidence: { any_object: aggregate(confidences, p.presence_confidence_aggregation) } };
  }
  const byClass = new Map<string, number[]>();
  merged.className.forEach((name, i) => byClass.set(name, [...(byClass.get(name) ?? []), confidences[i]!]));
  if (typeof required === "object") {
    for (const [name, count] of Object.entries(required)) {
      if ((byClass.get(name)?.length ?? 0) < count) return absent;
    }
  }
  return {
    object_present: true,
    presence_confidence: Object.fromEntries([...byClass].map(([name, values]) => [name, aggregate(values, p.presence_confidence_aggregation)])),
  };
}

export const detectionsConsensusBlock = defineBlock<DetectionsConsensusParams>({
  manifest: {
    type: "roboflow_core/detections_consensus@v1",
    aliases: ["DetectionsConsensus"],
    name: "Detections Consensus",
    description: "Combine predictions from multiple detections models to make a decision about object presence.",
    family: "fusion",
    fields: {
      predictions_batches: {
        description: "Detections of several models on the same image.",
        shape: "list",
        kinds: DETECTION_KINDS,
        required: true,
        aliases: ["predictions"],
      },
      required_votes: {
        description: "Sources that must agree (the detection itself included) for a merged detection.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        required: true,
      },
      class_aware: {
        description: "Only detections of the same class vote for each other.",
        kinds: ["boolean"],
        schema: { type: "boolean" },
        default: true,
      },
      iou_threshold: {
        description: "Detections of different sources match when their IoU is above this.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.3,
      },
      confidence: {
        description: "Merged detections below this confidence are dropped.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0,
      },
      classes_to_consider: {
        description: "Only detections of these classes take part; null or empty: all classes.",
        kinds: ["list_of_values"],
        schema: { type: ["array", "null"], items: { type: "string" } },
        default: null,
      },
      required_objects: {
        description: "Merged detections needed for object_present: a total, or class -> count.",
        kinds: ["integer", "dictionary"],
        schema: { type: ["integer", "object", "null"], minimum: 1, additionalProperties: { type: "integer", minimum: 1 } },
        default: null,
      },
      presence_confidence_aggregation: {
        description: "How presence_confidence aggregates the merged detections' confidences.",
        schema: { enum: AGGREGATIONS },
        default: "max",
      },
      detections_merge_confidence_aggregation: {
        description: "Confidence and class of a merged detection: average (class by majority vote), max or min (class of the most / least confident).",
        schema: { enum: AGGREGATIONS },
        default: "average",
      },
      detections_merge_coordinates_aggregation: {
        description: "Box of a merged detection: average of the boxes, max (largest) or min (smallest).",
        schema: { enum: AGGREGATIONS },
        default: "average",
      },
      detections_merge_mask_aggregation: {
        description: "Mask of a merged detection: union, intersection, max (largest) or min (smallest).",
        schema: { enum: MASK_AGGREGATIONS },
        default: "union",
      },
    },
    outputs: [
      { name: "predictions", kinds: ["object_detection_prediction", "instance_segmentation_prediction"] },
      { name: "object_present", kinds: ["boolean", "dictionary"] },
      { name: "presence_confidence", kinds: ["float_zero_to_one", "dictionary"] },
    ],
  },
  validate(step) {
    const sources = step["predictions_batches"];
    return Array.isArray(sources) && sources.length === 0
      ? [{ property: "predictions_batches", message: "`predictions_batches` needs at least one source of predictions" }]
      : [];
  },
  run(p) {
    const image = p.predictions_batches[0]?.image ?? { width: 0, height: 0 };
    if (p.predictions_batches.every((d) => d.length === 0)) {
      return { predictions: Detections.empty(image), object_present: false, presence_confidence: {} };
    }
    assertOneParent(p.predictions_batches);
    const classes = p.classes_to_consider?.length ? new Set(p.classes_to_consider) : undefined;
    const sources = classes ? p.predictions_batches.map((d) => d.filter((i) => classes.has(d.className[i]!))) : p.predictions_batches;
    const used = sources.map((d) => new Array<boolean>(d.length).fill(false));
    const merged: Detections[] = [];
    sources.forEach((detections, source) => {
      for (let index = 0; index < detections.length; index++) {
        if (used[source]![index]) continue;
        const box = detections.box(index);
        // At most one vote per other source: its unused detection overlapping this one most.
        const votes: Member[] = [];
        sources.forEach((other, o) => {
          if (o === source) return;
          let best: { index: number; iou: number } | undefined;
          for (let j = 0; j < other.length; j++) {
            if (used[o]![j]) continue;
            if (p.class_aware && other.className[j] !== detections.className[index]) continue;
            const overlap = iou(box, other.box(j));
            if (overlap > p.iou_threshold && (!best || overlap > best.iou)) best = { index: j, iou: overlap };
          }
          if (best) votes.push({ source: o, index: best.index });
        });
        if (votes.length < p.required_votes - 1) continue;
        const group = [{ source, index }, ...votes];
        const detection = mergeGroup(sources, group, p);
        if (detection.confidence[0]! < p.confidence) continue;
        merged.push(detection);
        for (const m of group) used[m.source]![m.index] = true;
      }
    });
    const predictions = Detections.concat(merged, image);
    return { predictions, ...presence(predictions, p) };
  },
});
