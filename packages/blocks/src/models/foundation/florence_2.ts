/** Florence-2 (v1, v2): Microsoft's vision-language model, its tasks from captions to grounded segmentation. */
import type { FieldSpec } from "@cvflow/engine";
import { choiceField, MODEL_IMAGES, modelIdField, promptBoxesField, textField, unavailableModelBlock } from "../unavailable-model.js";

const TASK_TYPES = [
  "open-vocabulary-object-detection",
  "ocr",
  "ocr-with-text-detection",
  "caption",
  "detailed-caption",
  "more-detailed-caption",
  "object-detection-and-caption",
  "object-detection",
  "phrase-grounded-object-detection",
  "phrase-grounded-instance-segmentation",
  "detection-grounded-instance-segmentation",
  "detection-grounded-classification",
  "detection-grounded-caption",
  "detection-grounded-ocr",
  "region-proposal",
  "custom",
];

const FIELDS: Record<string, FieldSpec> = {
  images: MODEL_IMAGES,
  task_type: choiceField("Task the model performs; it decides which other fields apply and what the output holds.", TASK_TYPES, "open-vocabulary-object-detection", []),
  prompt: textField("Text prompt to the Florence-2 model.", null),
  classes: { description: "Classes to be used.", kinds: ["list_of_values"], schema: { type: "array", items: { type: "string" } }, default: null },
  grounding_detection: {
    ...promptBoxesField("Detection to ground the model: a box [left_top_x, left_top_y, right_bottom_x, right_bottom_y] or a detection model's predictions (one picked by grounding_selection_mode)."),
    kinds: ["object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction", "list_of_values"],
    schema: { type: "array", items: { type: "number" } },
  },
  grounding_selection_mode: choiceField("Which detection grounds the model.", ["first", "last", "biggest", "smallest", "most-confident", "least-confident"], "first", []),
};

const OUTPUTS = [
  { name: "raw_output", kinds: ["string", "language_model_output"] },
  { name: "parsed_output", kinds: ["dictionary"] },
  { name: "classes", kinds: ["list_of_values"] },
];

const DOES = "Run Microsoft's Florence-2 on images (captions, OCR, open-vocabulary and grounded detection, segmentation); vlm_as_detector turns its answers into detections.";

export const florence2V1Block = unavailableModelBlock({
  type: "roboflow_core/florence_2@v1",
  name: "Florence-2 Model",
  does: DOES,
  model: "Florence-2",
  fields: { ...FIELDS, model_version: choiceField("Model to be used.", ["florence-2-base", "florence-2-large"], "florence-2-base") },
  outputs: OUTPUTS,
});

export const florence2V2Block = unavailableModelBlock({
  type: "roboflow_core/florence_2@v2",
  name: "Florence-2 Model",
  does: DOES,
  model: "Florence-2",
  fields: { ...FIELDS, model_id: modelIdField("Model to be used.", "florence-2-base") },
  outputs: OUTPUTS,
});
