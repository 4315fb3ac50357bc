/**
 * Multi-Label Classification Model (v1, v2, v3). Predictions are Roboflow's multi-label response
 * as plain JSON: every class's score by name, and `predicted_classes`, those at or above the
 * confidence threshold in class order. The scores are the model's per-class probabilities; on a
 * single-label classifier (the registry's ImageNet model) they are its softmax probabilities.
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

async function runMultiLabelClassification(params: ClassificationParams, ctx: BlockContext, withModelId: boolean): Promise<BlockOutputs[]> {
  const threshold = confidenceThreshold(params, DEFAULT_CONFIDENCE);
  const classified = await classifyImages(params, ctx, threshold);
  return classified.map(({ result, head, tail }) => {
    const byClassId = [...result.scores].sort((a, b) => a.classId - b.classId);
    const predictions = {
      ...head,
      predictions: Object.fromEntries(byClassId.map((s) => [s.className, { confidence: s.confidence, class_id: s.classId }])),
      predicted_classes: byClassId.filter((s) => s.confidence >= threshold).map((s) => s.className),
      ...tail,
    };
    return { inference_id: head.inference_id, predictions, ...(withModelId ? { model_id: params.model_id } : {}) };
  });
}

function multiLabelClassificationBlock(version: 1 | 2 | 3, aliases: string[], confidence: Record<string, FieldSpec>) {
  return defineBlock<ClassificationParams>({
    manifest: {
      type: `roboflow_core/roboflow_multi_label_classification_model@v${version}`,
      aliases,
      name: "Multi-Label Classification Model",
      description: "Apply multiple tags to an image.",
      family: "models",
      fields: { images: IMAGES_FIELD, model_id: MODEL_ID_FIELD, ...confidence, ...ACTIVE_LEARNING_FIELDS },
      outputs: modelOutputs(version, ["classification_prediction"]),
    },
    runBatch: (params, ctx) => runMultiLabelClassification(params, ctx, version > 1),
  });
}

export const multiLabelClassificationModelV1Block = multiLabelClassificationBlock(
  1,
  ["RoboflowMultiLabelClassificationModel", "MultiLabelClassificationModel"],
  { confidence: confidenceField(DEFAULT_CONFIDENCE) },
);

export const multiLabelClassificationModelV2Block = multiLabelClassificationBlock(2, [], { confidence: confidenceField(DEFAULT_CONFIDENCE) });

export const multiLabelClassificationModelV3Block = multiLabelClassificationBlock(
  3,
  [],
  confidenceModeFields(["best", "default", "custom"], "best", DEFAULT_CONFIDENCE),
);
