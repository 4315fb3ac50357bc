/**
 * The manifest fields and outputs the model blocks share, with Roboflow's names, aliases and
 * defaults. Fields that only steer Roboflow's platform (active learning) are accepted so that
 * definitions written for it compile, and say that they do nothing here.
 */
import type { FieldSpec, JsonSchema, Kind, OutputSpec } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { invalidConfidenceMode } from "../errors.js";

const ZERO_TO_ONE: JsonSchema = { type: "number", minimum: 0, maximum: 1 };

/** Roboflow's default confidence: the v1 and v2 default, and what v3's "best" and "default" use here. */
export const DEFAULT_CONFIDENCE = 0.4;

/**
 * deferLoad: a model reads an image at its own input size, from an input image's encoded bytes
 * when nothing else needs every pixel (a 12-megapixel JPEG shrinks on load to what a 640 model
 * takes, instead of being decoded in full first).
 */
export const IMAGES_FIELD: FieldSpec = {
  description: "The images to run the model on (input images, or crops of them).",
  kinds: ["image"],
  aliases: ["image"],
  required: true,
  batched: true,
  deferLoad: true,
};

export const MODEL_ID_FIELD: FieldSpec = {
  description: "The model, by its id or an alias in the model registry (e.g. yolov8n-640).",
  kinds: ["roboflow_model_id"],
  schema: { type: "string", minLength: 1 },
  required: true,
};

export function confidenceField(defaultValue: number, description = "Confidence threshold for predictions."): FieldSpec {
  return { description, kinds: ["float_zero_to_one"], schema: ZERO_TO_ONE, default: defaultValue };
}

/** Class filter and non-maximum suppression, as the detection-like blocks take them. */
export const NMS_FIELDS: Readonly<Record<string, FieldSpec>> = {
  class_filter: {
    description: "Classes to keep (names from the model's classes); absent or empty keeps all.",
    kinds: ["list_of_values"],
    schema: { type: "array", items: { type: "string" } },
    default: null,
  },
  iou_threshold: {
    description: "Minimum overlap between boxes to merge them into one detection in non-maximum suppression.",
    kinds: ["float_zero_to_one"],
    schema: ZERO_TO_ONE,
    default: 0.3,
  },
  max_detections: {
    description: "Maximum number of detections per image.",
    kinds: ["integer"],
    schema: { type: "integer", minimum: 1 },
    default: 300,
  },
  class_agnostic_nms: {
    description: "Whether non-maximum suppression merges boxes across classes.",
    kinds: ["boolean"],
    schema: { type: "boolean" },
    default: false,
  },
  max_candidates: {
    description: "Maximum number of candidate boxes considered by non-maximum suppression.",
    kinds: ["integer"],
    schema: { type: "integer", minimum: 1 },
    default: 3000,
  },
};

export const ACTIVE_LEARNING_FIELDS: Readonly<Record<string, FieldSpec>> = {
  disable_active_learning: {
    description: "Roboflow's project-level active learning switch. Accepted for compatibility; does nothing here.",
    kinds: ["boolean"],
    schema: { type: "boolean" },
    default: true,
  },
  active_learning_target_dataset: {
    description: "Roboflow's active-learning target dataset. Accepted for compatibility; does nothing here.",
    kinds: ["roboflow_project"],
    schema: { type: "string" },
    default: null,
  },
};

export type ConfidenceMode = "best" | "default" | "custom";

/** v3's confidence_mode / custom_confidence pair; `modes` are the values that version accepts. */
export function confidenceModeFields(modes: readonly ConfidenceMode[], defaultMode: ConfidenceMode, fallback: number): Record<string, FieldSpec> {
  const notHere = modes.includes("best")
    ? `"best" (Roboflow's per-class thresholds from model evaluation, which no model here has) and "default" both use ${fallback}`
    : `"default" uses ${fallback}`;
  return {
    confidence_mode: {
      description: `How the confidence threshold is chosen: "custom" uses custom_confidence; ${notHere}.`,
      kinds: ["string"],
      schema: { enum: modes },
      default: defaultMode,
    },
    custom_confidence: confidenceField(0.4, 'Confidence threshold used when confidence_mode is "custom".'),
  };
}

export interface ConfidenceParams {
  confidence?: number | null;
  confidence_mode?: string | null;
  custom_confidence?: number | null;
}

/** The threshold a step asks for: `confidence` (v1, v2) or confidence_mode / custom_confidence (v3). */
export function confidenceThreshold(params: ConfidenceParams, fallback: number): number {
  if (!("confidence_mode" in params)) return params.confidence ?? fallback;
  const mode = params.confidence_mode;
  if (mode === "custom") return params.custom_confidence ?? fallback;
  if (mode === null || mode === "best" || mode === "default") return fallback;
  // A literal is checked against the enum at compile time; a parameter can still carry anything.
  throw invalidConfidenceMode(mode);
}

/** Outputs of the Roboflow model blocks; v1 declares inference_id a plain string and has no model_id. */
export function modelOutputs(version: number, predictions: readonly Kind[]): OutputSpec[] {
  const outputs: OutputSpec[] = [
    { name: "inference_id", kinds: version === 1 ? ["string"] : ["inference_id"] },
    { name: "predictions", kinds: predictions },
  ];
  return version === 1 ? outputs : [...outputs, { name: "model_id", kinds: ["roboflow_model_id"] }];
}

/** Every pixel of each image (decoded first where it is not yet), for models that read them all. */
export function pixelsOf(images: readonly WorkflowImage[]): Promise<RawPixels[]> {
  return Promise.all(images.map((image) => image.load()));
}
