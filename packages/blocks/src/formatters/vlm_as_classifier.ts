/**
 * VLM As Classifier (v1, v2): a language model's JSON answer as a classification prediction.
 * `{"class_name", "confidence"}` is a single-label answer: every class of `classes` is listed with
 * confidence 0 but the named one (a name outside `classes` comes first, with class_id -1).
 * `{"predicted_classes": [{"class", "confidence"}, ...]}` is multi-label: a class named twice keeps
 * its highest confidence. Text that is no JSON, or JSON of neither shape, gives error_status true
 * and null predictions. v2 differs only in the kind of `inference_id`.
 */
import { defineBlock, type BlockOutputs } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";
import type { WorkflowImage } from "@cvflow/vision";
import { classIndex, parseVlmJson, scaleConfidence } from "./vlm-json.js";

interface VlmAsClassifierParams {
  [key: string]: unknown;
  image: WorkflowImage;
  vlm_output: string;
  classes: string[];
}

function singleLabel(image: WorkflowImage, answer: Record<string, unknown>, classes: readonly string[], inferenceId: string): Record<string, unknown> {
  const index = classIndex(classes);
  const top = answer["class_name"];
  // Python uses the name as a dict key: it must be hashable (a string, a number, ...), not a list or object.
  if (typeof top === "object" && top !== null) throw new TypeError("class_name is not a name");
  const confidence = scaleConfidence(answer["confidence"]);
  const known = typeof top === "string" && index.has(top);
  const predictions: { class: unknown; class_id: number; confidence: number }[] = [];
  if (!known) predictions.push({ class: top, class_id: -1, confidence });
  for (const [name, id] of index) predictions.push({ class: name, class_id: id, confidence: name === top ? confidence : 0 });
  return {
    image: { width: image.width, height: image.height },
    predictions,
    top,
    confidence,
    inference_id: inferenceId,
    parent_id: image.lineage.parentId,
  };
}

function multiLabel(image: WorkflowImage, answer: Record<string, unknown>, classes: readonly string[], inferenceId: string): Record<string, unknown> {
  const index = classIndex(classes);
  const predicted = answer["predicted_classes"];
  if (!Array.isArray(predicted)) throw new TypeError("predicted_classes is not a list");
  const confidences = new Map<string, number>();
  for (const entry of predicted) {
    if (!isRecord(entry) || !("class" in entry) || !("confidence" in entry)) throw new TypeError("a predicted class needs class and confidence");
    const name = String(entry["class"]);
    if (!index.has(name)) index.set(name, -1);
    const confidence = scaleConfidence(entry["confidence"]);
    confidences.set(name, Math.max(confidences.get(name) ?? -Infinity, confidence));
  }
  const predictions: Record<string, { confidence: number; class_id: number }> = {};
  for (const [name, id] of index) predictions[name] = { confidence: confidences.get(name) ?? 0, class_id: id };
  return {
    image: { width: image.width, height: image.height },
    predictions,
    predicted_classes: [...confidences.keys()],
    inference_id: inferenceId,
    parent_id: image.lineage.parentId,
  };
}

/** The block's outputs for one image; exported for the tests. */
export function classifyVlmOutput(image: WorkflowImage, vlmOutput: string, classes: readonly string[], inferenceId: string): BlockOutputs {
  const failed = { error_status: true, predictions: null, inference_id: inferenceId };
  const answer = parseVlmJson(vlmOutput);
  if (!isRecord(answer)) return failed;
  try {
    if ("class_name" in answer && "confidence" in answer) return { error_status: false, predictions: singleLabel(image, answer, classes, inferenceId), inference_id: inferenceId };
    if ("predicted_classes" in answer) return { error_status: false, predictions: multiLabel(image, answer, classes, inferenceId), inference_id: inferenceId };
  } catch {
    // Roboflow logs the parse failure and reports it through error_status.
  }
  return failed;
}

function vlmAsClassifier(version: 1 | 2) {
  return defineBlock<VlmAsClassifierParams>({
    manifest: {
      type: `roboflow_core/vlm_as_classifier@v${version}`,
      name: "VLM As Classifier",
      description: "Parse a raw string into a classification prediction.",
      family: "formatters",
      fields: {
        image: { description: "The image the language model was shown: its size and id go into the prediction.", kinds: ["image"], required: true, deferLoad: true },
        vlm_output: {
          description:
            'The model\'s text: JSON, raw or in a ```json fence (the first is read), either {"class_name", "confidence"} or {"predicted_classes": [{"class", "confidence"}, ...]}.',
          kinds: ["language_model_output"],
          required: true,
        },
        classes: {
          description: "Every class name in order: a class's id is its position; a name outside the list gets -1.",
          kinds: ["list_of_values"],
          schema: { type: "array", items: { type: "string" } },
          required: true,
        },
      },
      outputs: [
        { name: "error_status", kinds: ["boolean"] },
        { name: "predictions", kinds: ["classification_prediction"] },
        { name: "inference_id", kinds: [version === 1 ? "string" : "inference_id"] },
      ],
    },
    run({ image, vlm_output, classes }) {
      return classifyVlmOutput(image, vlm_output, classes, crypto.randomUUID());
    },
  });
}

export const vlmAsClassifierV1Block = vlmAsClassifier(1);
export const vlmAsClassifierV2Block = vlmAsClassifier(2);
