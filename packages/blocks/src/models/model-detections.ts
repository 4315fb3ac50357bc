/**
 * A detection model's result on one image as Detections: in that image's pixel space and
 * carrying its lineage, with the `prediction_type` column Roboflow's blocks attach (the query
 * language reads it) and, for instance segmentation, the masks plus each polygon as the wire
 * format's `points` ([{x, y}, ...]).
 */
import type { Detections } from "@cvflow/engine";
import type { DetectionResult, WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../common/lineage.js";

export function detectionsFromResult(result: DetectionResult, image: WorkflowImage, predictionType: string): Detections {
  const data: Record<string, readonly unknown[]> = { prediction_type: result.className.map(() => predictionType) };
  if (result.polygons) data["points"] = result.polygons.map((polygon) => polygon.map(([x, y]) => ({ x, y })));
  return detectionsOnImage(
    {
      xyxy: result.boxes,
      confidence: result.confidence,
      classId: result.classId,
      className: result.className,
      masks: result.masks,
      data,
    },
    image,
  );
}
