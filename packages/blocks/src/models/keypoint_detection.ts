/**
 * Keypoint Detection Model (v1, v2, v3). Definitions that use it compile, so the rest of a
 * workflow can be checked, but no keypoint model exists here (the only small pose export found is
 * broken; see the models README): running it is a 400 that says so and lists the models there are.
 */
import { defineBlock, type BlockParams, type FieldSpec } from "@cvflow/engine";
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
import { modelUnavailable } from "../errors.js";
import { visionModels } from "./services.js";

const KEYPOINT_CONFIDENCE_FIELD: FieldSpec = confidenceField(0, "Confidence threshold for a keypoint to count as visible.");

function keypointDetectionBlock(version: 1 | 2 | 3, aliases: string[], confidence: Record<string, FieldSpec>) {
  return defineBlock<BlockParams>({
    manifest: {
      type: `roboflow_core/roboflow_keypoint_detection_model@v${version}`,
      aliases,
      name: "Keypoint Detection Model",
      description: "Predict skeletons on objects. No keypoint model is available here: running this block fails with model_unavailable.",
      family: "models",
      fields: {
        images: IMAGES_FIELD,
        model_id: MODEL_ID_FIELD,
        ...confidence,
        keypoint_confidence: KEYPOINT_CONFIDENCE_FIELD,
        ...NMS_FIELDS,
        ...ACTIVE_LEARNING_FIELDS,
      },
      outputs: modelOutputs(version, ["keypoint_detection_prediction"]),
    },
    runBatch(params, ctx) {
      const available = visionModels(ctx).list().map(({ id, task }) => ({ id, task }));
      throw modelUnavailable(
        `No keypoint detection model exists here, so "${String(params["model_id"])}" cannot run. ` +
          `Available models: ${available.map((m) => `${m.id} (${m.task})`).join(", ")}`,
        params["model_id"],
        available,
      );
    },
  });
}

export const keypointDetectionModelV1Block = keypointDetectionBlock(1, ["RoboflowKeypointDetectionModel", "KeypointsDetectionModel"], {
  confidence: confidenceField(DEFAULT_CONFIDENCE),
});

export const keypointDetectionModelV2Block = keypointDetectionBlock(2, [], { confidence: confidenceField(DEFAULT_CONFIDENCE) });

export const keypointDetectionModelV3Block = keypointDetectionBlock(3, [], confidenceModeFields(["default", "custom"], "default", DEFAULT_CONFIDENCE));
