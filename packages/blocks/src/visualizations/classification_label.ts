/**
 * Classification Label Visualization: a classifier's answer written on the image — the top class
 * of a single-label prediction, or every predicted class of a multi-label one (most confident
 * first) — in a column of labels at one of nine places, laid out as Roboflow lays them out.
 */
import { defineBlock, Detections } from "@cvflow/engine";
import { invalidDrawing } from "../errors.js";
import { fixedDigits } from "../common/python-numbers.js";
import { BOX_POSITIONS } from "./draw/anchors.js";
import { drawDetectionLabels, labelStyleFields, type LabelStyleParams } from "./common/label-annotation.js";
import { annotated, colorableFields, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface ClassificationLabelParams extends LabelStyleParams {
  [key: string]: unknown;
  predictions: Record<string, unknown>;
  text: "Class" | "Confidence" | "Class and Confidence";
}

interface ClassScore {
  name: string;
  classId: number;
  confidence: number;
}

export const classificationLabelVisualizationBlock = defineBlock<ClassificationLabelParams>({
  manifest: {
    type: "roboflow_core/classification_label_visualization@v1",
    name: "Classification Label Visualization",
    description: "Visualize both single-label and multi-label classification predictions with customizable display options.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(["classification_prediction"], "Classification predictions."),
      ...colorableFields,
      text: {
        description: "What each label shows.",
        kinds: ["string"],
        schema: { enum: ["Class", "Confidence", "Class and Confidence"] },
        default: "Class",
      },
      ...labelStyleFields(BOX_POSITIONS),
    },
    outputs: IMAGE_OUTPUTS,
  },
  run(params) {
    const { image, predictions: prediction } = params;
    const scores = shownClasses(prediction);
    if (scores.length === 0) return annotated(image, drawingSurface(image, params.copy_image));
    const size = prediction["image"] as { width?: unknown; height?: unknown } | undefined;
    const width = typeof size?.width === "number" ? size.width : image.width;
    const height = typeof size?.height === "number" ? size.height : image.height;
    const spacing = 20 * params.text_scale + 2 * params.text_padding + 2 * params.text_thickness + 5;
    const { boxes, order } = layout(scores, params, width, height, spacing);
    const shown = order.map((k) => scores[k]!);
    const detections = new Detections({
      image: { width, height },
      xyxy: boxes.flat(),
      confidence: shown.map((s) => s.confidence),
      classId: shown.map((s) => s.classId),
      className: shown.map((s) => s.name),
      data: { tracker_id: shown.map(() => 0) },
    });
    return drawDetectionLabels(detections, shown.map((s) => labelText(s, params.text)), params);
  },
});

/** Single-label (`predictions` is a list): the most confident class. Multi-label: every predicted class, most confident first. */
function shownClasses(prediction: Record<string, unknown>): ClassScore[] {
  const listed = prediction["predictions"];
  if (Array.isArray(listed)) {
    const scores = listed.map((p: Record<string, unknown>) => score(String(p["class"]), p));
    return scores.sort((a, b) => b.confidence - a.confidence).slice(0, 1);
  }
  const byName = (listed ?? {}) as Record<string, Record<string, unknown>>;
  const predicted = (prediction["predicted_classes"] ?? []) as unknown[];
  return predicted
    .map((name) => {
      const entry = byName[String(name)];
      if (!entry) throw invalidDrawing("invalid_prediction_format", `Predicted class ${JSON.stringify(name)} has no entry in "predictions"`);
      return score(String(name), entry);
    })
    .sort((a, b) => b.confidence - a.confidence);
}

function score(name: string, entry: Record<string, unknown>): ClassScore {
  const classId = entry["class_id"];
  const confidence = entry["confidence"];
  if (typeof classId !== "number" || typeof confidence !== "number") {
    throw invalidDrawing("invalid_prediction_format", `Class ${JSON.stringify(name)} needs a numeric class_id and confidence`);
  }
  return { name, classId, confidence };
}

function labelText(s: ClassScore, text: string): string {
  const confidence = `${s.confidence < 0 ? "-" : ""}${fixedDigits(Math.abs(s.confidence), 2)}`;
  if (text === "Class") return s.name;
  if (text === "Confidence") return confidence;
  if (text === "Class and Confidence") return `${s.name} ${confidence}`;
  throw invalidDrawing("invalid_label_text", `text must be one of "Class", "Confidence" or "Class and Confidence", got ${JSON.stringify(text)}`);
}

/**
 * One box per label, stacked `spacing` apart, whose anchor (the text_position corner or edge) is
 * where the label goes: from the top down under the top positions, from the bottom up (the least
 * confident lowest) under the bottom ones, and centred vertically otherwise, the left and right
 * columns set in by an estimate of the longest label's width (15 pixels a character at scale 1).
 */
function layout(
  scores: readonly ClassScore[],
  params: ClassificationLabelParams,
  width: number,
  height: number,
  spacing: number,
): { boxes: number[][]; order: number[] } {
  const n = scores.length;
  const position = params.text_position;
  const indices = scores.map((_, k) => k);
  if (position.startsWith("BOTTOM")) {
    return { boxes: indices.map((i) => [0, 0, width, height - (spacing + i * spacing)]), order: indices.reverse() };
  }
  if (position.startsWith("CENTER")) {
    const startY = Math.max(0, Math.min((height - spacing * n) / 2, height - spacing * n));
    const longest = Math.max(...scores.map((s) => labelText(s, params.text).length));
    const inset = longest * 15 * params.text_scale + 2 * params.text_padding + 20 + Math.max(0, 10 - params.text_padding) * 3;
    const [x1, x2] = position === "CENTER_LEFT" ? [inset, width] : position === "CENTER_RIGHT" ? [0, width - inset] : [0, width];
    return { boxes: indices.map((i) => [x1, startY + i * spacing, x2, startY + (i + 1) * spacing]), order: indices };
  }
  return { boxes: indices.map((i) => [0, spacing + i * spacing, width, height]), order: indices };
}
