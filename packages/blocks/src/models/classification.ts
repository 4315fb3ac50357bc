/**
 * Single-Label Classification Model (v1, v2, v3). Predictions are Roboflow's classification
 * response as plain JSON: the classes at or above the confidence threshold, most confident first
 * (confidences rounded to 4 places), `top` and `confidence` the first of them — "" and 0 when none
 * reaches the threshold.
 */
import { defineBlock, type BlockContext, type BlockOutputs, type FieldSpec } from "@cvflow/engine";
import { classifyImages, type ClassificationParams } from "./classify.js";
import {
  ACTIVE_LEARNING_FIELDS,
  confidenceField,
  confidenceModeFields,
  confidenceThreshold,
  DEFAULT_CONFIDENCE,
  IMAGES_FIELD,
  MODEL_ID_FIELD,
  modelOutputs,
} from "./fields.js";

/** Roboflow's single-label threshold when v3 asks for the model's default (it has no per-class thresholds). */
const DEFAULT_MODE_CONFIDENCE = 0.5;

async function runClassification(params: ClassificationParams, ctx: BlockContext, withModelId: boolean): Promise<BlockOutputs[]> {
  const threshold = confidenceThreshold(params, DEFAULT_MODE_CONFIDENCE);
  const classified = await classifyImages(params, ctx, threshold);
  return classified.map(({ result, head, tail }) => {
    const classes = result.scores
      .filter((s) => s.confidence >= threshold)
      .map((s) => ({ class: s.className, class_id: s.classId, confidence: Math.round(s.confidence * 1e4) / 1e4 }));
    const top = classes[0];
    const predictions = { ...head, predictions: classes, top: top?.class ?? "", confidence: top?.confidence ?? 0, ...tail };
    return { inference_id: head.inference_id, predictions, ...(withModelId ? { model_id: params.model_id } : {}) };
  });
}

function classificationBlock(version: 1 | 2 | 3, aliases: string[], confidence: Record<string, FieldSpec>) {
  return defineBlock<ClassificationParams>({
    manifest: {
      type: `roboflow_core/roboflow_classification_model@v${version}`,
      aliases,
      name: "Single-Label Classification Model",
      description: "Apply a single tag to an image.",
      family: "models",
      fields: { images: IMAGES_FIELD, model_id: MODEL_ID_FIELD, ...confidence, ...ACTIVE_LEARNING_FIELDS },
      outputs: modelOutputs(version, ["classification_prediction"]),
    },
    runBatch: (params, ctx) => runClassification(params, ctx, version > 1),
  });
}

export const classificationModelV1Block = classificationBlock(1, ["RoboflowClassificationModel", "ClassificationModel"], {
  confidence: confidenceField(DEFAULT_CONFIDENCE),
});

export const classificationModelV2Block = classificationBlock(2, [], { confidence: confidenceField(DEFAULT_CONFIDENCE) });

export const classificationModelV3Block = classificationBlock(3, [], confidenceModeFields(["default", "custom"], "default", DEFAULT_MODE_CONFIDENCE));
