/** Per-Class Confidence Filter: keeps detections whose confidence reaches the threshold of their class. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";

interface PerClassConfidenceFilterParams {
  [key: string]: unknown;
  predictions: Detections;
  class_thresholds: Record<string, number> | null;
  default_threshold: number;
}

export const perClassConfidenceFilterBlock = defineBlock<PerClassConfidenceFilterParams>({
  manifest: {
    type: "roboflow_core/per_class_confidence_filter@v1",
    name: "Per-Class Confidence Filter",
    description: "Filter detections by applying a per-class confidence threshold.",
    family: "transformations",
    fields: {
      predictions: {
        description: "Detections to filter.",
        kinds: DETECTION_KINDS,
        required: true,
      },
      class_thresholds: {
        description: "Class name -> minimum confidence; classes not listed use `default_threshold`.",
        kinds: ["dictionary"],
        schema: { type: "object", additionalProperties: { type: "number" } },
        required: true,
      },
      default_threshold: {
        description: "Minimum confidence of classes not listed in `class_thresholds`.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number" },
        default: 0.3,
      },
    },
    outputs: [{ name: "predictions", kinds: DETECTION_KINDS }],
  },
  run({ predictions, class_thresholds, default_threshold }) {
    const thresholds = new Map(Object.entries(class_thresholds ?? {}).map(([name, t]) => [name, Number(t)]));
    const fallback = Number(default_threshold);
    // A confidence equal to the threshold passes.
    const kept = predictions.filter((i) => predictions.confidence[i]! >= (thresholds.get(predictions.className[i]!) ?? fallback));
    return { predictions: kept };
  },
});
