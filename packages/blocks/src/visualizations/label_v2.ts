/**
 * Label Visualization v2: v1's labels, plus a text size that can follow the image's resolution
 * ("Automatic": text_scale multiplies a 0.7 baseline at 1080 pixels of shorter side).
 */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import { POSITIONS } from "./draw/anchors.js";
import { detectionLabels, LABEL_TEXTS } from "./common/detection-labels.js";
import { drawDetectionLabels, labelStyleFields, type LabelStyleParams } from "./common/label-annotation.js";
import { colorableFields, copyImageField, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface LabelV2Params extends LabelStyleParams {
  [key: string]: unknown;
  predictions: Detections;
  text: string;
  text_size_mode: "Manual" | "Automatic";
}

export const labelVisualizationV2Block = defineBlock<LabelV2Params>({
  manifest: {
    type: "roboflow_core/label_visualization@v2",
    name: "Label Visualization",
    description: "Draw labels on an image at specific coordinates based on provided detections.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(DETECTION_KINDS),
      ...colorableFields,
      text: {
        description: "Content of each label: a mode below, or the name of a data field of the predictions.",
        kinds: ["string"],
        schema: { enum: LABEL_TEXTS },
        default: "Class",
      },
      ...labelStyleFields(POSITIONS),
      text_size_mode: {
        description: "Manual: text_scale is the scale. Automatic: text_scale multiplies a size chosen from the image's resolution.",
        kinds: ["string"],
        schema: { enum: ["Manual", "Automatic"] },
        default: "Manual",
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { predictions, image } = params;
    const labels = predictions.length === 0 ? [] : detectionLabels(predictions, params.text, "v2");
    return drawDetectionLabels(predictions, labels, params, effectiveTextScale(params.text_scale, params.text_size_mode, image.width, image.height));
  },
});

/** Automatic sizing: 0.7 * (shorter side / 1080) * (text_scale / 0.7), kept within 0.3..5. */
function effectiveTextScale(scale: number, mode: string, width: number, height: number): number {
  if (mode !== "Automatic") return scale;
  return Math.min(5, Math.max(0.3, 0.7 * (Math.min(width, height) / 1080) * (scale / 0.7)));
}
