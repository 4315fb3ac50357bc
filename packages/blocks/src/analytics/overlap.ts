/**
 * Overlap Filter (v1): the detections that overlap some detection of `overlap_class_name`, as
 * Roboflow's keeps them: "Center Overlap" when a box's centre lies strictly inside one of that
 * class's boxes, "Any Overlap" when the boxes touch or intersect. The reference class's own
 * detections are left out; the others keep their order.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import { BOX_KINDS } from "./analytics-fields.js";

type Box = [number, number, number, number];

const OVERLAP_TYPES = ["Center Overlap", "Any Overlap"] as const;
type OverlapType = (typeof OVERLAP_TYPES)[number];

function overlaps(reference: Box, other: Box, type: OverlapType): boolean {
  if (type === "Center Overlap") {
    const cx = other[0] + (other[2] - other[0]) / 2;
    const cy = other[1] + (other[3] - other[1]) / 2;
    return cx > reference[0] && cx < reference[2] && cy > reference[1] && cy < reference[3];
  }
  return !(other[2] < reference[0] || other[0] > reference[2] || other[3] < reference[1] || other[1] > reference[3]);
}

export const overlapBlock = defineBlock<{ predictions: Detections; overlap_type: OverlapType; overlap_class_name: string }>({
  manifest: {
    type: "roboflow_core/overlap@v1",
    name: "Overlap Filter",
    description: "Filter objects overlapping some other class",
    family: "analytics",
    fields: {
      predictions: { description: "Detections, among them the reference class's and those that may overlap them.", kinds: BOX_KINDS, required: true },
      overlap_type: {
        description: "Center Overlap: a box's centre inside a reference box. Any Overlap: the boxes touch or intersect.",
        schema: { enum: [...OVERLAP_TYPES] },
        default: "Center Overlap",
      },
      overlap_class_name: {
        description: "The reference class: detections overlapping one of its detections are kept; its own are left out.",
        schema: { type: "string" },
        required: true,
      },
    },
    outputs: [{ name: "overlaps", kinds: ["object_detection_prediction"], description: "The detections that overlap a detection of the reference class." }],
  },
  run({ predictions, overlap_type, overlap_class_name }) {
    const references: Box[] = [];
    for (let i = 0; i < predictions.length; i++) if (predictions.className[i] === overlap_class_name) references.push(predictions.box(i));
    return {
      overlaps: predictions.filter(
        (i) => predictions.className[i] !== overlap_class_name && references.some((reference) => overlaps(reference, predictions.box(i), overlap_type)),
      ),
    };
  },
});
