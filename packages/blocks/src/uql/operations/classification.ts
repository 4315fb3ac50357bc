/**
 * ClassificationPropertyExtract on classification predictions in the wire format: single-label
 * `{predictions: [{class, class_id, confidence}], top, confidence}` or multi-label
 * `{predictions: {name: {class_id, confidence}}, predicted_classes: [...]}`.
 */
import { invalidOperationInput, operationFailed } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";
import { isPlainObject } from "../values.js";

type Prediction = Record<string, unknown>;

interface LabelScore {
  class_id: number;
  confidence: number;
}

function multiLabelScores(prediction: Prediction): Record<string, LabelScore> {
  const scores = prediction["predictions"];
  if (!isPlainObject(scores)) throw new Error(`"predictions" is not a dictionary of classes`);
  return scores as Record<string, LabelScore>;
}

function predictedConfidences(prediction: Prediction): number[] {
  const scores = multiLabelScores(prediction);
  return ((prediction["predicted_classes"] ?? []) as string[]).map((name) => {
    const score = scores[name];
    if (!score) throw new Error(`predicted class "${name}" has no entry in "predictions"`);
    return score.confidence;
  });
}

/** All classes: in list order for single-label, by class_id for multi-label. */
function allClasses(prediction: Prediction, field: "class" | "confidence"): unknown[] {
  const predictions = prediction["predictions"];
  if (Array.isArray(predictions)) return (predictions as Prediction[]).map((p) => p[field]);
  return Object.entries(multiLabelScores(prediction))
    .sort(([, a], [, b]) => a.class_id - b.class_id)
    .map(([name, score]) => (field === "class" ? name : score.confidence));
}

const CLASSIFICATION_PROPERTIES: Record<string, (prediction: Prediction) => unknown> = {
  top_class: (p) => ("top" in p ? p["top"] : (p["predicted_classes"] ?? [])),
  top_class_confidence: (p) => ("confidence" in p ? p["confidence"] : predictedConfidences(p)),
  top_class_confidence_single: (p) => {
    if ("confidence" in p) return p["confidence"];
    const confidences = predictedConfidences(p);
    return confidences.length ? Math.max(...confidences) : 0;
  },
  all_classes: (p) => allClasses(p, "class"),
  all_confidences: (p) => allClasses(p, "confidence"),
};

const classificationPropertyExtract = defineOperation<{ property_name: string }>({
  type: "ClassificationPropertyExtract",
  description:
    "top_class, top_class_confidence, top_class_confidence_single, all_classes or all_confidences of a " +
    "classification; multi-label results give lists for the first two.",
  properties: { property_name: { enum: Object.keys(CLASSIFICATION_PROPERTIES) } },
  required: ["property_name"],
  compile: ({ property_name }, { at }) => {
    const extract = CLASSIFICATION_PROPERTIES[property_name]!;
    return (value) => {
      if (!isPlainObject(value)) throw invalidOperationInput("ClassificationPropertyExtract", at, "a classification prediction", value);
      try {
        return extract(value);
      } catch (error) {
        throw operationFailed("ClassificationPropertyExtract", at, `malformed classification prediction: ${(error as Error).message}`);
      }
    };
  },
});

export const classificationOperations = [classificationPropertyExtract];
