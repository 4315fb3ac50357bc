/**
 * What to ask a vision-language model for each task, in cvflow's own words and provider-neutral:
 * an optional system instruction, the user's text (sent next to the image), and for tasks whose
 * answer is JSON of a fixed shape, a JSON Schema of it that a provider with structured outputs may
 * enforce. The formats asked for are the ones the parsers read: vlm_as_classifier's
 * `{"class_name", "confidence"}` and `{"predicted_classes": [...]}`, json_parser's fenced JSON, and
 * one of vlm_as_detector's box formats (DetectionFormat: which one a provider's parser expects).
 */
import type { JsonSchema } from "@cvflow/engine";
import type { LlmTask } from "./tasks.js";

export interface TaskInputs {
  prompt?: string | null;
  classes?: readonly string[] | null;
  output_structure?: Readonly<Record<string, string>> | null;
}

/**
 * How object-detection answers are asked for (each one a vlm_as_detector@v2 parser reads):
 * - `normalized`: `{"detections": [{"x_min", "y_min", "x_max", "y_max", "class_name", "confidence"}]}`,
 *   corners as fractions 0-1 of the image (Claude; OpenAI's GPT-5/5.1 and older OpenAI blocks);
 * - `pixels`: a JSON list of `{"box_2d": [x_min, y_min, x_max, y_max], "label"}` in pixels of the
 *   image sent (OpenAI's GPT-4.x/4o and nano models);
 * - `pixels-wrapped`: the same list under `"detections"`, with a schema to enforce (OpenAI's GPT-5.2+);
 * - `yx-1000`: a JSON list of `{"box_2d": [y_min, x_min, y_max, x_max], "label"}`, integers 0-1000
 *   (Gemini's native boxes).
 */
export type DetectionFormat = "normalized" | "pixels" | "pixels-wrapped" | "yx-1000";

export interface PromptOptions {
  /** Required for object-detection. */
  detection?: DetectionFormat;
  /** The size of the image as sent (pixel formats state it). */
  width?: number;
  height?: number;
}

export interface TaskPrompt {
  system?: string;
  user: string;
  /** The answer's JSON shape, for providers that can enforce one (object-detection's wrapped and yx-1000 formats). */
  schema?: JsonSchema;
}

const JSON_ONLY = "Answer with the JSON document only, inside a Markdown ```json fence, and nothing else.";

/** The prompt for `task`; a field the task needs must be given (the manifest checks it at compile time). */
export function taskPrompt(task: LlmTask, inputs: TaskInputs, options: PromptOptions = {}): TaskPrompt {
  const classes = (inputs.classes ?? []).join(", ");
  switch (task) {
    case "unconstrained":
      return { user: inputs.prompt ?? "" };
    case "visual-question-answering":
      return {
        system:
          "You answer questions about the image you are shown. Answer an open question in a few sentences; for a multiple-choice question, give only the letter or label of the chosen answer.",
        user: `Question: ${inputs.prompt ?? ""}`,
      };
    case "ocr":
      return {
        system:
          "You are a text-recognition (OCR) model. Transcribe all the text visible in the image, keeping its layout as paragraphs. Write only the text you read, with no comments.",
        user: "Read the text in this image.",
      };
    case "caption":
    case "detailed-caption":
      return {
        system: `You are an image captioning model: describe the image. ${task === "caption" ? "Keep the caption short." : "Give a thorough, detailed caption."}`,
        user: "Describe this image.",
      };
    case "classification":
      return {
        system:
          "You are a single-label image classifier. Choose the one class from the user's list that best fits the image, with your confidence from 0.0 to 1.0. " +
          'Answer with one JSON object of this shape: {"class_name": "a-class", "confidence": 0.8} — never a list, even when several classes could fit. ' +
          JSON_ONLY,
        user: `Classes to choose from: ${classes}`,
      };
    case "multi-label-classification":
      return {
        system:
          "You are a multi-label image classifier. List every class from the user's list that is visible in the image, each with your confidence from 0.0 to 1.0 that it is present. " +
          'Answer with JSON of this shape: {"predicted_classes": [{"class": "a-class", "confidence": 0.9}, {"class": "another-class", "confidence": 0.6}]}. ' +
          JSON_ONLY,
        user: `Classes to choose from: ${classes}`,
      };
    case "structured-answering":
      return {
        system:
          "You fill in a JSON document about the image. The user gives a dictionary: each key must appear in your answer, and each value describes what to write for that key. " +
          JSON_ONLY,
        user: `Fields to produce, with their descriptions:\n${JSON.stringify(inputs.output_structure ?? {}, null, 4)}`,
      };
    case "object-detection":
      return detectionPrompt(classes, options);
  }
}

function detectionPrompt(classes: string, { detection, width, height }: PromptOptions): TaskPrompt {
  if (!detection) throw new TypeError("object-detection needs a detection format");
  if (detection === "normalized") {
    return {
      system:
        "You are an object-detection model: find every instance of the user's classes in the image and give reasonable boxes. Answer with JSON only, of this shape: " +
        '{"detections": [{"x_min": 0.1, "y_min": 0.2, "x_max": 0.3, "y_max": 0.4, "class_name": "a-class", "confidence": 0.7}]}. ' +
        "class_name is one of the user's classes; the corners are fractions 0.0-1.0 of the image's width and height; confidence (0.0-1.0) is how sure you are of the detection.",
      user: `Classes to detect: ${classes}`,
    };
  }
  if (detection === "yx-1000") {
    return {
      user:
        'Find all objects in this image. Answer with a JSON list with one entry per object: its box under "box_2d" and its label under "label". ' +
        '"box_2d" is [y_min, x_min, y_max, x_max], integers from 0 to 1000 relative to the image\'s height and width. ' +
        `Write only the JSON list. Use only these labels: ${classes}`,
      schema: { type: "array", items: boxEntry(0, 1000) },
    };
  }
  if (width === undefined || height === undefined) throw new TypeError(`the ${detection} detection format needs the image's size`);
  const wrapped = detection === "pixels-wrapped";
  return {
    user:
      `Find all objects in this image. Answer with ${wrapped ? 'a JSON object whose "detections" key holds a list' : "a JSON list"} with one entry per object: its box under "box_2d" and its label under "label". ` +
      `"box_2d" is [x_min, y_min, x_max, y_max], the top-left and bottom-right corners in pixels of this ${width}x${height} image. ` +
      `${wrapped ? "" : "Write only the JSON list. "}Use only these labels: ${classes}`,
    ...(wrapped
      ? { schema: { type: "object", properties: { detections: { type: "array", items: boxEntry() } }, required: ["detections"], additionalProperties: false } }
      : {}),
  };
}

function boxEntry(minimum?: number, maximum?: number): JsonSchema {
  const coordinate: JsonSchema = { type: "integer", ...(minimum === undefined ? {} : { minimum }), ...(maximum === undefined ? {} : { maximum }) };
  return {
    type: "object",
    properties: { box_2d: { type: "array", items: coordinate, minItems: 4, maxItems: 4 }, label: { type: "string" } },
    required: ["box_2d", "label"],
    additionalProperties: false,
  };
}
