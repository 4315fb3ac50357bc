/**
 * The vision-language models Roboflow runs on its own servers from open weights: Qwen2.5-VL,
 * Qwen3-VL, Qwen3.5-VL (v1, v2), SmolVLM2, Moondream2, Cosmos 3 Edge, GLM-OCR. Each answers a
 * prompt about each image.
 */
import type { FieldSpec } from "@cvflow/engine";
import { literalText, MAX_NEW_TOKENS, MODEL_IMAGES, modelIdField, textField, unavailableModelBlock } from "../unavailable-model.js";

const PARSED_OUTPUT = { name: "parsed_output", kinds: ["dictionary"], description: "The answer, as a dictionary holding its text." };

export const qwen25VlBlock = unavailableModelBlock({
  type: "roboflow_core/qwen25vl@v1",
  name: "Qwen2.5-VL",
  does: "Ask Qwen2.5-VL about images.",
  model: "Qwen2.5-VL",
  fields: {
    images: MODEL_IMAGES,
    prompt: literalText("Text prompt; a default one when unset."),
    model_version: modelIdField("The Qwen2.5-VL model.", "qwen25-vl-7b"),
    system_prompt: literalText("System prompt."),
  },
  outputs: [PARSED_OUTPUT],
});

export const qwen3VlBlock = unavailableModelBlock({
  type: "roboflow_core/qwen3vl@v1",
  name: "Qwen3-VL",
  does: "Ask Qwen3-VL about images.",
  model: "Qwen3-VL",
  fields: {
    images: MODEL_IMAGES,
    prompt: literalText("Text prompt; a default one when unset."),
    model_version: modelIdField("The Qwen3-VL model.", "qwen3vl-2b-instruct"),
    system_prompt: literalText("System prompt."),
  },
  outputs: [PARSED_OUTPUT],
});

/** Roboflow lists `values` and takes any model id besides. */
const qwen35Versions = (values: readonly string[]): FieldSpec => modelIdField(`The Qwen3.5 model: ${values.join(", ")}, or another model id.`, "qwen3_5-0.8b");

export const qwen35VlV1Block = unavailableModelBlock({
  type: "roboflow_core/qwen3_5vl@v1",
  name: "Qwen3.5-VL",
  does: "Ask Qwen3.5-VL about images, optionally with its thinking mode.",
  model: "Qwen3.5-VL",
  fields: {
    images: MODEL_IMAGES,
    prompt: textField("Text prompt; a default one when unset.", null),
    model_version: qwen35Versions(["qwen3_5-0.8b", "qwen3_5-2b"]),
    system_prompt: textField("System prompt.", null),
    enable_thinking: { description: "Let the model reason before answering (its reasoning in `thinking`).", schema: { type: "boolean" }, default: false },
    max_new_tokens: MAX_NEW_TOKENS,
  },
  outputs: [PARSED_OUTPUT, { name: "thinking", kinds: ["string"], description: "The model's reasoning when enable_thinking is true, else empty." }],
});

export const qwen35VlV2Block = unavailableModelBlock({
  type: "roboflow_core/qwen3_5vl@v2",
  name: "Qwen3.5",
  does: "Ask Qwen3.5 about images.",
  model: "Qwen3.5",
  fields: {
    images: MODEL_IMAGES,
    prompt: literalText("Text prompt; a default one when unset."),
    model_version: qwen35Versions(["qwen3_5-0.8b", "qwen3_5-2b", "qwen3_5-4b"]),
    system_prompt: literalText("System prompt."),
    max_new_tokens: MAX_NEW_TOKENS,
  },
  outputs: [PARSED_OUTPUT],
});

export const smolVlm2Block = unavailableModelBlock({
  type: "roboflow_core/smolvlm2@v1",
  name: "SmolVLM2",
  does: "Ask SmolVLM2 about images.",
  model: "SmolVLM2",
  fields: {
    images: MODEL_IMAGES,
    prompt: literalText("Text prompt."),
    model_version: modelIdField("The SmolVLM2 model.", "smolvlm2/smolvlm-2.2b-instruct"),
  },
  outputs: [PARSED_OUTPUT],
});

export const moondream2Block = unavailableModelBlock({
  type: "roboflow_core/moondream2@v1",
  name: "Moondream2",
  does: "Detect objects described by a prompt with Moondream2.",
  model: "Moondream2",
  fields: {
    images: MODEL_IMAGES,
    prompt: textField("What to find.", null),
    model_version: modelIdField("The Moondream2 model.", "moondream2/moondream2_2b_jul24"),
  },
  outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
});

export const cosmos3EdgeBlock = unavailableModelBlock({
  type: "roboflow_core/cosmos3_edge@v1",
  name: "Cosmos 3 Edge",
  does: "Describe images with NVIDIA's Cosmos 3 Edge.",
  model: "Cosmos 3 Edge",
  fields: {
    images: MODEL_IMAGES,
    prompt: textField("Text prompt; a scene-description prompt when unset.", null),
    model_version: { description: "The Cosmos 3 Edge model.", kinds: ["roboflow_model_id"], schema: { enum: ["nvidia/cosmos-3-edge"] }, default: "nvidia/cosmos-3-edge" },
    system_prompt: textField("System prompt.", null),
  },
  outputs: [{ name: "output", kinds: ["string", "language_model_output"], description: "The model's text answer for each image." }],
});

export const glmOcrBlock = unavailableModelBlock({
  type: "roboflow_core/glm_ocr@v1",
  name: "GLM-OCR",
  does: "Read text, tables, formulas or a structured answer from images with GLM-OCR.",
  model: "GLM-OCR",
  fields: {
    images: MODEL_IMAGES,
    task_type: {
      description: "Recognition task (decides the prompt).",
      kinds: ["string"],
      schema: { enum: ["text-recognition", "table-recognition", "formula-recognition", "structured-answering", "custom"] },
      default: "text-recognition",
    },
    prompt: textField("Prompt for task_type custom.", null),
    output_structure: { description: "For structured-answering: JSON field names mapped to their descriptions.", schema: { type: "object", additionalProperties: { type: "string" } }, default: null },
    max_new_tokens: MAX_NEW_TOKENS,
    model_version: modelIdField("The GLM-OCR model.", "glm-ocr"),
  },
  outputs: [{ name: "parsed_output", kinds: ["string", "language_model_output"], description: "The text read (for structured-answering, JSON in Markdown for the JSON Parser block)." }],
});
