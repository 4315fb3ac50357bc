/** Semantic Segmentation Model (v1, v2): a class per pixel from a Roboflow-trained model; none exists here. */
import { confidenceModeFields, MODEL_ID_FIELD } from "./fields.js";
import { MODEL_IMAGES, unavailableModelBlock } from "./unavailable-model.js";

const OUTPUTS = [
  { name: "inference_id", kinds: ["inference_id"] },
  { name: "predictions", kinds: ["semantic_segmentation_prediction"] },
  { name: "model_id", kinds: ["roboflow_model_id"] },
];

const DOES = "Give each pixel a class with a semantic segmentation model.";

export const semanticSegmentationModelV1Block = unavailableModelBlock({
  type: "roboflow_core/roboflow_semantic_segmentation_model@v1",
  name: "Semantic Segmentation Model",
  does: DOES,
  model: "semantic segmentation",
  fields: { images: MODEL_IMAGES, model_id: MODEL_ID_FIELD },
  outputs: OUTPUTS,
});

export const semanticSegmentationModelV2Block = unavailableModelBlock({
  type: "roboflow_core/roboflow_semantic_segmentation_model@v2",
  name: "Semantic Segmentation Model",
  does: DOES,
  model: "semantic segmentation",
  fields: { images: MODEL_IMAGES, model_id: MODEL_ID_FIELD, ...confidenceModeFields(["best", "default", "custom"], "best", 0.4) },
  outputs: OUTPUTS,
});
