/**
 * Detections Merge: all detections of an image as one, whose box encloses them all, with the
 * lowest confidence among them, class id 0, the given class name and a new detection id (as
 * Roboflow's block). It keeps the image's lineage (parent id, crop origin) so the merged box can
 * be cropped or shown in the input image's coordinates; masks and other columns are dropped.
 */
import { defineBlock, Detections, DETECTION_KINDS } from "@cvflow/engine";
import { onImageOf } from "../common/lineage.js";

interface DetectionsMergeParams {
  [key: string]: unknown;
  predictions: Detections;
  class_name: string;
}

export const detectionsMergeBlock = defineBlock<DetectionsMergeParams>({
  manifest: {
    type: "roboflow_core/detections_merge@v1",
    name: "Detections Merge",
    description: "Merge multiple detections into a single bounding box.",
    family: "transformations",
    fields: {
      predictions: { description: "The detections to merge into one; none gives none.", kinds: DETECTION_KINDS, required: true },
      class_name: { description: "Class name of the merged detection.", schema: { type: "string" }, default: "merged_detection" },
    },
    outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
  },
  run({ predictions, class_name }) {
    if (predictions.length === 0) return { predictions: Detections.empty(predictions.image) };
    let [x1, y1, x2, y2] = predictions.box(0);
    let lowest = 0;
    for (let i = 1; i < predictions.length; i++) {
      const [a, b, c, d] = predictions.box(i);
      x1 = Math.min(x1, a);
      y1 = Math.min(y1, b);
      x2 = Math.max(x2, c);
      y2 = Math.max(y2, d);
      // The first of equal lowest confidences, as numpy's argmin.
      if (predictions.confidence[i]! < predictions.confidence[lowest]!) lowest = i;
    }
    const merged = new Detections({
      image: predictions.image,
      xyxy: [x1, y1, x2, y2],
      confidence: [predictions.confidence[lowest]!],
      classId: [0],
      className: [class_name],
    });
    return { predictions: onImageOf(merged, predictions) };
  },
});
