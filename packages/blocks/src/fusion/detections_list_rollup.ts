/**
 * Detections List Roll-Up: brings the predictions made on the crops of a parent's detections (a
 * second model run on dynamic crops, gathered by Dimension Collapse) back onto the parent's image
 * and merges, per class, those that are one object — overlapping boxes into their union box,
 * overlapping masks into their union mask (the box then spans the mask), keypoint detections
 * with nearby keypoints into their mean. Each crop's detections move by the top-left corner of
 * its parent box, truncated to whole pixels, as Roboflow's block does.
 */
import { defineBlock, deserializeDetections, DETECTION_KINDS, Detections, type BitMask, type Keypoint } from "@cvflow/engine";
import { boxPixels, combineMasks, emptyMask, largestOuterContour, maskExtent } from "@cvflow/vision";
import { onImageOf } from "../common/lineage.js";
import { invalidField } from "../errors.js";
import { moveDetections } from "./move-detections.js";
import { boxGroups, keypointGroups, maskGroups } from "./rollup-groups.js";

const STRATEGIES = ["max", "mean", "min"] as const;
type Strategy = (typeof STRATEGIES)[number];
type Box = [number, number, number, number];

interface DetectionsListRollUpParams {
  [key: string]: unknown;
  parent_detection: Detections;
  child_detections: readonly unknown[];
  confidence_strategy: Strategy;
  overlap_threshold: number;
  keypoint_merge_threshold: number;
}

export const detectionsListRollUpBlock = defineBlock<DetectionsListRollUpParams>({
  manifest: {
    type: "roboflow_core/detections_list_rollup@v1",
    aliases: ["DetectionsListRollUp"],
    name: "Detections List Roll-Up",
    description: "Roll up multiple levels of dimensionality back to a single dimension.",
    family: "fusion",
    fields: {
      parent_detection: {
        description: "The detections whose crops the child detections were made on; the rolled-up detections lie on their image.",
        kinds: DETECTION_KINDS,
        required: true,
      },
      child_detections: {
        description: "One list of detections per parent detection, in its order: the predictions made on its crop (Prediction -> Dimension Collapse -> this step).",
        kinds: ["list_of_values"],
        required: true,
      },
      confidence_strategy: {
        description: "The confidence of merged detections: the highest, mean or lowest of theirs.",
        kinds: ["list_of_values"],
        schema: { enum: STRATEGIES },
        default: "max",
      },
      overlap_threshold: {
        description: "IoU from which overlapping detections of a class merge; 0 merges any that overlap at all, 1 only identical ones.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0,
      },
      keypoint_merge_threshold: {
        description: "Keypoint detections of a class merge when their keypoints lie on average closer than this many pixels.",
        kinds: ["float"],
        schema: { type: "number", minimum: 0 },
        default: 10,
      },
    },
    outputs: [
      { name: "rolled_up_detections", kinds: ["instance_segmentation_prediction", "object_detection_prediction", "keypoint_detection_prediction"] },
      { name: "crop_zones", kinds: ["list_of_values"] },
    ],
  },
  run({ parent_detection: parent, child_detections, confidence_strategy, overlap_threshold, keypoint_merge_threshold }) {
    if (!STRATEGIES.includes(confidence_strategy)) {
      throw invalidField(`confidence_strategy must be one of ${STRATEGIES.join(", ")}; got ${JSON.stringify(confidence_strategy)}`);
    }
    if (child_detections.length !== parent.length) {
      throw invalidField(
        `child_detections holds ${child_detections.length} lists but parent_detection ${parent.length} detections: give one list per parent detection, in its order`,
      );
    }
    const corners = Array.from({ length: parent.length }, (_, i) => parent.box(i));
    const crop_zones = corners.map(([x1, y1, x2, y2]) => [[x1, y1], [x2, y1], [x2, y2], [x1, y2]]);
    if (parent.length === 0) return { rolled_up_detections: Detections.empty(parent.image), crop_zones };

    // Children skipped by flow control arrive as null: no detections on that crop.
    const pieces = child_detections.map((c, i) => (c === null || c === undefined ? null : deserializeDetections(c, `/child_detections/${i}`)));
    const moved = Detections.concat(
      pieces.flatMap((d, i) => (d ? [moveDetections(d, () => [Math.trunc(corners[i]![0]), Math.trunc(corners[i]![1])], parent.image)] : [])),
      parent.image,
    );
    const merged = rollUp(moved, confidence_strategy, overlap_threshold, keypoint_merge_threshold);
    return { rolled_up_detections: onImageOf(merged, parent), crop_zones };
  },
});

/** The mode is the children's as a whole, as in Roboflow's: keypoints if any has them, else masks if any has them, else boxes. */
function rollUp(d: Detections, strategy: Strategy, threshold: number, keypointDistance: number): Detections {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < d.length; i++) {
    const members = byClass.get(d.classId[i]!);
    if (members) members.push(i);
    else byClass.set(d.classId[i]!, [i]);
  }
  const classes = [...byClass.values()];
  if (d.keypoints?.some((k) => k !== null)) {
    const keypoints = d.keypoints;
    const groups = classes.flatMap((members) => keypointGroups(members.map((i) => keypoints[i] ?? null), keypointDistance).map((g) => g.map((k) => members[k]!)));
    return merge(d, groups, strategy, (group) =>
      group.length === 1 ? { box: d.box(group[0]!) } : { box: meanBox(d, group), keypoints: meanKeypoints(group.map((i) => keypoints[i]!)) },
    );
  }
  if (d.masks?.some((m) => m !== null)) {
    const masks = Array.from({ length: d.length }, (_, i) => d.masks![i] ?? boxMask(d, i));
    const areas = masks.map((m) => maskExtent(m).area);
    const boxes = Array.from({ length: d.length }, (_, i) => d.box(i));
    const groups = classes.flatMap((members) =>
      maskGroups(
        members.map((i) => boxes[i]!),
        members.map((i) => masks[i]!),
        members.map((i) => areas[i]!),
        threshold,
      ).map((g) => g.map((k) => members[k]!)),
    );
    const united = groups.map((group) => (group.length === 1 ? masks[group[0]!]! : combineMasks(group.map((i) => masks[i]!), "union")));
    // A mask with no pixel left on the parent's image (its crop lay beyond the edge) is dropped.
    const kept = groups.flatMap((group, g) => (maskExtent(united[g]!).area > 0 ? [{ group, mask: united[g]! }] : []));
    const maskOf = new Map(kept.map(({ group, mask }) => [group, mask]));
    return merge(d, kept.map((k) => k.group), strategy, (group) => {
      const mask = maskOf.get(group)!;
      const { left, top, right, bottom } = maskExtent(mask);
      return { box: [left, top, right, bottom], mask };
    });
  }
  const groups = classes.flatMap((members) => boxGroups(members.map((i) => d.box(i)), threshold).map((g) => g.map((k) => members[k]!)));
  return merge(d, groups, strategy, (group) => ({ box: unionBox(d, group) }));
}

/** A merged detection's geometry: its box, and in mask or keypoint mode its mask or keypoints. */
interface Shape {
  box: Box;
  mask?: BitMask;
  keypoints?: Keypoint[];
}

/**
 * One detection per group: the shape `shapeOf` gives it, the confidence by `strategy`, and
 * everything else (class, data columns) from the group's first member, under a new detection id.
 * A mask's polygon (`points`) is its own outline. Columns the mode does not merge (a polygon
 * without masks, masks in keypoint mode) stay with a detection left alone and are dropped from
 * merged ones, which they would describe only part of.
 */
function merge(d: Detections, groups: readonly number[][], strategy: Strategy, shapeOf: (group: number[]) => Shape): Detections {
  const first = d.select(groups.map((g) => g[0]!));
  const shapes = groups.map(shapeOf);
  const alone = <T>(column: readonly T[] | undefined, k: number): T | null => (groups[k]!.length === 1 ? (column?.[k] ?? null) : null);
  const maskMode = shapes.some((s) => s.mask);
  const keypointMode = shapes.some((s) => s.keypoints);
  const data: Record<string, readonly unknown[]> = { ...first.data };
  if (maskMode) data["points"] = shapes.map((s) => largestOuterContour(s.mask!).map(([x, y]) => ({ x, y })));
  else if (data["points"]) data["points"] = groups.map((_, k) => alone(first.data["points"], k));
  return first.with({
    xyxy: shapes.flatMap((s) => s.box),
    confidence: groups.map((g) => combine(g.map((i) => d.confidence[i]!), strategy)),
    detectionId: groups.map(() => crypto.randomUUID()),
    masks: maskMode ? shapes.map((s) => s.mask!) : first.masks && groups.map((_, k) => alone(first.masks, k)),
    keypoints: keypointMode ? shapes.map((s, k) => s.keypoints ?? alone(first.keypoints, k)) : first.keypoints,
    data,
  });
}

function combine(values: readonly number[], strategy: Strategy): number {
  if (strategy === "max") return Math.max(...values);
  if (strategy === "min") return Math.min(...values);
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function unionBox(d: Detections, group: readonly number[]): Box {
  const boxes = group.map((i) => d.box(i));
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

function meanBox(d: Detections, group: readonly number[]): Box {
  const boxes = group.map((i) => d.box(i));
  const mean = (k: number): number => boxes.reduce((s, b) => s + b[k]!, 0) / boxes.length;
  return [mean(0), mean(1), mean(2), mean(3)];
}

/** Point by point, the mean position and confidence; names and class ids are the first member's. */
function meanKeypoints(sets: readonly Keypoint[][]): Keypoint[] {
  const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  return sets[0]!.map((k, j) => ({ ...k, x: mean(sets.map((s) => s[j]!.x)), y: mean(sets.map((s) => s[j]!.y)), confidence: mean(sets.map((s) => s[j]!.confidence)) }));
}

/** A detection without a mask among masked ones stands for its box's pixels. */
function boxMask(d: Detections, i: number): BitMask {
  const mask = emptyMask(d.image, boxPixels(d.box(i), d.image));
  mask.data.fill(1);
  return mask;
}
