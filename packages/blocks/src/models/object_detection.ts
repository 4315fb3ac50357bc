/** Object Detection Model (v1, v2, v3): boxes with classes and confidences from a detector in the model registry. */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import { runDetectionModel, type DetectionModelParams } from "./detection-model.js";
import {
  ACTIVE_LEARNING_FIELDS,
  confidenceField,
  confidenceModeFields,
  DEFAULT_CONFIDENCE,
  IMAGES_FIELD,
  MODEL_ID_FIELD,
  modelOutputs,
  NMS_FIELDS,
} from "./fields.js";

const KINDS = ["object_detection_prediction"];

function objectDetectionBlock(version: 1 | 2 | 3, aliases: string[], confidence: Record<string, FieldSpec>) {
  return defineBlock<DetectionModelParams>({
    manifest: {
      type: `roboflow_core/roboflow_object_detection_model@v${version}`,
      aliases,
      name: "Object Detection Model",
      description: "Predict the location of objects with bounding boxes.",
      family: "models",
      fields: { images: IMAGES_FIELD, model_id: MODEL_ID_FIELD, ...confidence, ...NMS_FIELDS, ...ACTIVE_LEARNING_FIELDS },
      outputs: modelOutputs(version, KINDS),
    },
    runBatch: (params, ctx) => runDetectionModel(params, ctx, "object-detection", version > 1),
  });
}

export const objectDetectionModelV1Block = objectDetectionBlock(1, ["RoboflowObjectDetectionModel", "ObjectDetectionModel"], {
  confidence: confidenceField(DEFAULT_CONFIDENCE),
});

export const objectDetectionModelV2Block = objectDetectionBlock(2, [], { confidence: confidenceField(DEFAULT_CONFIDENCE) });

export const objectDetectionModelV3Block = objectDetectionBlock(3, [], confidenceModeFields(["best", "default", "custom"], "best", DEFAULT_CONFIDENCE));
