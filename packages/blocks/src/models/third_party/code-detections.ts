/**
 * Barcodes and QR codes found in an image as Detections, as Roboflow's two code blocks make them:
 * one class (class_id 0), confidence 1, the decoded text in the `data` column (the one column
 * its serializer writes for them) and the block's prediction_type.
 *
 * Box: Roboflow takes the corner the reader calls top-left as (x1, y1) and the bottom-right one as
 * (x2, y2). For an upright code that is its box; for a code read upside down the reader's
 * "top-left" is the lower right, and Roboflow's box has a negative width. Here the two corners are
 * ordered, so the box is the same for an upright code and never inverted.
 */
import type { Detections, FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../../common/lineage.js";

export const CODE_IMAGE_FIELD: FieldSpec = {
  description: "The image to read codes in (an input image, or crops of one).",
  kinds: ["image"],
  aliases: ["image"],
  required: true,
};

export interface FoundCode {
  text: string;
  topLeft: { x: number; y: number };
  bottomRight: { x: number; y: number };
}

export function codeDetections(codes: readonly FoundCode[], image: WorkflowImage, className: string, predictionType: string): Detections {
  return detectionsOnImage(
    {
      xyxy: codes.flatMap(({ topLeft: a, bottomRight: b }) => [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)]),
      confidence: codes.map(() => 1),
      classId: codes.map(() => 0),
      className: codes.map(() => className),
      data: { data: codes.map((code) => code.text), prediction_type: codes.map(() => predictionType) },
    },
    image,
  );
}
