/**
 * VLM As Detector (v1, v2): a language model's JSON answer as object-detection predictions, read
 * by the parser registered for the step's (model_type, task_type) (vlm-detection-parsers.ts). Only
 * florence-2 knows tasks other than object-detection; every other model needs `classes`. An answer
 * that is no JSON, or that its parser cannot read, gives error_status true and null predictions.
 * v1 reads Claude's answers with Gemini's parser and knows three models; v2 has seven and an
 * `inference_id` of kind inference_id.
 */
import { defineBlock, type BlockOutputs, type Problem } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../common/lineage.js";
import {
  FLORENCE_TASKS,
  florenceParser,
  looseMuseEntries,
  parseGeminiDetections,
  parseMuseDetections,
  parseNormalizedDetections,
  parseOpenAiDetections,
  parseQwenDetections,
  parseSpacexAiDetections,
  type VlmDetectionParser,
} from "./vlm-detection-parsers.js";
import { parseVlmJson } from "./vlm-json.js";

const TASK_TYPES = Object.keys(FLORENCE_TASKS);

export interface VlmAsDetectorParams {
  [key: string]: unknown;
  image: WorkflowImage;
  vlm_output: string;
  classes: string[] | null;
  model_type: string;
  task_type: string;
}

function florenceParsers(): Record<string, VlmDetectionParser> {
  return Object.fromEntries(Object.entries(FLORENCE_TASKS).map(([task, florenceTask]) => [`florence-2/${task}`, florenceParser(florenceTask)]));
}

/** Each version's parsers, keyed `model_type/task_type`. */
const PARSERS: Record<1 | 2, Readonly<Record<string, VlmDetectionParser>>> = {
  1: {
    "google-gemini/object-detection": parseGeminiDetections,
    "anthropic-claude/object-detection": parseGeminiDetections,
    ...florenceParsers(),
  },
  2: {
    "openai/object-detection": parseOpenAiDetections,
    "google-gemini/object-detection": parseGeminiDetections,
    "anthropic-claude/object-detection": parseNormalizedDetections,
    "spacexai/object-detection": parseSpacexAiDetections,
    "qwen/object-detection": parseQwenDetections,
    "muse/object-detection": parseMuseDetections,
    ...florenceParsers(),
  },
};

const MODEL_TYPES: Record<1 | 2, readonly string[]> = {
  1: ["google-gemini", "anthropic-claude", "florence-2"],
  2: ["openai", "google-gemini", "anthropic-claude", "spacexai", "qwen", "muse", "florence-2"],
};

/** The block's outputs for one image; exported for the tests. */
export function detectVlmOutput(version: 1 | 2, params: VlmAsDetectorParams, inferenceId: string): BlockOutputs {
  const { image, vlm_output, classes, model_type, task_type } = params;
  const failed = { error_status: true, predictions: null, inference_id: inferenceId };
  const parser = PARSERS[version][`${model_type}/${task_type}`];
  if (!parser) return failed;
  let answer = parseVlmJson(vlm_output);
  // Python's json.loads keeps only objects and lists as answers here.
  if (typeof answer !== "object" || answer === null) answer = undefined;
  if (answer === undefined && version === 2 && model_type === "muse") {
    const loose = looseMuseEntries(vlm_output);
    if (loose.length > 0) answer = loose;
  }
  if (answer === undefined) return failed;
  try {
    const boxes = parser({ answer, classes, width: image.width, height: image.height });
    const predictions = detectionsOnImage({ ...boxes, data: { prediction_type: boxes.className.map(() => "object-detection") } }, image);
    return { error_status: false, predictions, inference_id: inferenceId };
  } catch {
    // Roboflow logs the failure and reports it through error_status.
    return failed;
  }
}

function vlmAsDetector(version: 1 | 2) {
  return defineBlock<VlmAsDetectorParams>({
    manifest: {
      type: `roboflow_core/vlm_as_detector@v${version}`,
      name: "VLM As Detector",
      description: "Parses raw string into object-detection prediction.",
      family: "formatters",
      fields: {
        image: { description: "The image the language model was shown: boxes are scaled to its size and carry its id.", kinds: ["image"], required: true, deferLoad: true },
        vlm_output: {
          description: "The model's text: JSON, raw or in a ```json fence (the first is read), in the shape model_type and task_type name.",
          kinds: ["language_model_output"],
          required: true,
        },
        classes: {
          description: "Every class name in order: a class's id is its position (-1 for a name outside). Required for every model_type but florence-2.",
          kinds: ["list_of_values"],
          schema: { type: "array", items: { type: "string" } },
          default: null,
        },
        model_type: { description: "The model that wrote the answer: which parser reads it.", schema: { enum: MODEL_TYPES[version] }, required: true },
        task_type: { description: "The task the model was given (only florence-2 knows tasks other than object-detection).", schema: { enum: TASK_TYPES }, required: true },
      },
      outputs: [
        { name: "error_status", kinds: ["boolean"] },
        { name: "predictions", kinds: ["object_detection_prediction"] },
        { name: "inference_id", kinds: [version === 1 ? "string" : "inference_id"] },
      ],
    },
    validate(step): Problem[] {
      const model = step["model_type"];
      const task = step["task_type"];
      if (typeof model !== "string" || typeof task !== "string") return [];
      const problems: Problem[] = [];
      if (!PARSERS[version][`${model}/${task}`]) problems.push({ property: "task_type", message: `Could not parse result of task ${task} for model ${model}` });
      if (model !== "florence-2" && (step["classes"] === undefined || step["classes"] === null)) {
        problems.push({ property: "classes", message: "Must pass list of classes to this block for every model type except florence-2" });
      }
      return problems;
    },
    run(params) {
      return detectVlmOutput(version, params, crypto.randomUUID());
    },
  });
}

export const vlmAsDetectorV1Block = vlmAsDetector(1);
export const vlmAsDetectorV2Block = vlmAsDetector(2);
