/** Label Visualization v1: a text label per detection (class, confidence, dimensions, ...) on a box in its palette colour. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import { POSITIONS } from "./draw/anchors.js";
import { detectionLabels, LABEL_TEXTS } from "./common/detection-labels.js";
import { drawDetectionLabels, labelStyleFields, type LabelStyleParams } from "./common/label-annotation.js";
import { colorableFields, copyImageField, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface LabelParams extends LabelStyleParams {
  [key: string]: unknown;
  predictions: Detections;
  text: string;
}

export const labelVisualizationBlock = defineBlock<LabelParams>({
  manifest: {
    type: "roboflow_core/label_visualization@v1",
    aliases: ["LabelVisualization"],
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
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { predictions } = params;
    // Nothing to label: the labels (and their errors, e.g. an unknown text) are never built.
    const labels = predictions.length === 0 ? [] : detectionLabels(predictions, params.text, "v1");
    return drawDetectionLabels(predictions, labels, params);
  },
});
