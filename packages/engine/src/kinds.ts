/**
 * Kinds name what a value is, so that a selector can be checked against the field it feeds
 * before anything runs. The names are the Workflows grammar's; `*` matches every kind.
 */

import type { JsonSchema } from "./json-schema.js";

export const WILDCARD_KIND = "*";

export const KINDS = {
  "*": "Any value.",
  image: "An image (decoded lazily), serialised as {type: base64, value}.",
  video_metadata: "Metadata of the video frame an image comes from.",
  object_detection_prediction: "Bounding-box detections with classes and confidences.",
  instance_segmentation_prediction: "Detections with masks / polygons.",
  keypoint_detection_prediction: "Detections with keypoints.",
  classification_prediction: "A single- or multi-label classification result.",
  string: "A string.",
  integer: "An integer.",
  float: "A floating point number.",
  float_zero_to_one: "A number between 0 and 1.",
  boolean: "true or false.",
  dictionary: "A JSON object.",
  list_of_values: "A list of values.",
  top_class: "The name of the top class of a classification.",
  roboflow_model_id: "A model id resolved through the model registry.",
  roboflow_project: "A project name.",
  roboflow_api_key: "An API key.",
  zone: "A polygon: a list of [x, y] points.",
  point: "A point [x, y].",
  rgb_color: "A colour: #RRGGBB, rgb(r, g, b) or a name.",
  prediction_type: "The type of a prediction.",
  parent_id: "The id of the image a prediction refers to.",
  detection: "A single detection.",
  image_metadata: "Metadata of an image.",
  contours: "Contours found in an image.",
  numpy_array: "A numeric array.",
  bytes: "Raw bytes.",
  serialised_payloads: "Serialised payloads.",
  timestamp: "A point in time.",
  language_model_output: "Text produced by a language model.",
  image_keypoints: "Keypoints of an image.",
  inference_id: "An inference identifier.",
  secret: "A secret value; never echoed back.",
  bar_code_detection: "Barcodes found in an image: detections whose `data` is each code's text.",
  qr_code_detection: "QR codes found in an image: detections whose `data` is each code's text.",
  embedding: "A vector of numbers describing an image or text (CLIP's, for one).",
} as const satisfies Record<string, string>;

export type KnownKind = keyof typeof KINDS;
/** Kinds are open: a WorkflowBatchInput may declare any kind name. */
export type Kind = string;

/** Whether data of kinds `produced` may feed a field accepting `accepted`. */
export function kindsCompatible(produced: readonly Kind[], accepted: readonly Kind[]): boolean {
  if (produced.includes(WILDCARD_KIND) || accepted.includes(WILDCARD_KIND)) return true;
  return produced.some((k) => accepted.includes(k));
}

/**
 * The JSON form of the kinds a parameter can carry as plain JSON, for checking parameter values
 * against the fields they feed. Kinds not listed have a runtime type or are too loose to check.
 */
export const KIND_JSON_SCHEMAS: Readonly<Record<Kind, JsonSchema>> = {
  string: { type: "string" },
  integer: { type: "integer" },
  float: { type: "number" },
  float_zero_to_one: { type: "number", minimum: 0, maximum: 1 },
  boolean: { type: "boolean" },
  dictionary: { type: "object" },
  list_of_values: { type: "array" },
  top_class: { type: "string" },
  roboflow_model_id: { type: "string" },
  roboflow_project: { type: "string" },
  roboflow_api_key: { type: "string" },
  zone: { type: "array" },
  point: { type: "array" },
};

/** The detection kinds, carried at runtime by the Detections type. */
export const DETECTION_KINDS: readonly Kind[] = [
  "object_detection_prediction",
  "instance_segmentation_prediction",
  "keypoint_detection_prediction",
];
