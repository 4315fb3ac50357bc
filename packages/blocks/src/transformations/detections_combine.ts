/**
 * Detections Combine: the detections of two predictions of one image as one list, the first's
 * then the second's, every column kept (supervision's Detections.merge). A column only one side
 * has is null for the other side's rows.
 */
import { defineBlock, Detections } from "@cvflow/engine";
import { BOX_KINDS } from "../analytics/analytics-fields.js";

interface DetectionsCombineParams {
  [key: string]: unknown;
  prediction_one: Detections;
  prediction_two: Detections;
}

export const detectionsCombineBlock = defineBlock<DetectionsCombineParams>({
  manifest: {
    type: "roboflow_core/detections_combine@v1",
    name: "Detections Combine",
    description: "Combines two sets of predictions into a single prediction.",
    family: "transformations",
    fields: {
      prediction_one: { description: "The first predictions; their detections come first.", kinds: BOX_KINDS, required: true },
      prediction_two: { description: "The second predictions, appended after the first's.", kinds: BOX_KINDS, required: true },
    },
    outputs: [{ name: "predictions", kinds: BOX_KINDS }],
  },
  run({ prediction_one: one, prediction_two: two }) {
    // An empty side adds nothing, not even its image size (Detections.merge drops empty parts).
    const parts = [one, two].filter((d) => d.length > 0);
    return { predictions: parts.length ? Detections.concat(parts, parts[0]!.image) : one };
  },
});
