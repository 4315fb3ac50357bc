/**
 * The manifest fields and outputs Roboflow's vision-language-model blocks share (OpenAI, Claude,
 * Gemini, OpenRouter's), with its names, kinds and defaults; a block takes the ones it has and
 * sets its own defaults where Roboflow's differ (model lists, max_tokens).
 */
import type { FieldSpec, OutputSpec } from "@cvflow/engine";
import { IMAGES_FIELD } from "../../fields.js";
import { LLM_TASKS, RECOMMENDED_PARSERS, type LlmTask } from "./tasks.js";

/** One image per call: the executor decodes it before the block runs (it is re-encoded for the provider). */
export const LLM_IMAGES: FieldSpec = { ...IMAGES_FIELD, batched: false, deferLoad: false };

export function taskTypeField(tasks: readonly LlmTask[], defaultTask: LlmTask = "unconstrained"): FieldSpec {
  const listed = tasks.map((task) => {
    const parser = RECOMMENDED_PARSERS[task];
    return `"${task}" (${LLM_TASKS[task].name}${parser ? `; parse with ${parser}` : ""})`;
  });
  return {
    description: `Task type to be performed by the model; it decides which other fields are needed and what the output holds: ${listed.join(", ")}.`,
    schema: { enum: tasks },
    default: defaultTask,
  };
}

export const PROMPT_FIELD: FieldSpec = {
  description: 'Text prompt to the model; needed by the "unconstrained" and "visual-question-answering" tasks.',
  kinds: ["string"],
  schema: { type: "string" },
  default: null,
};

export const OUTPUT_STRUCTURE_FIELD: FieldSpec = {
  description: 'Dictionary of the JSON fields to produce, each with a description of its value; needed by the "structured-answering" task.',
  schema: { type: "object", additionalProperties: { type: "string" } },
  default: null,
};

export const CLASSES_FIELD: FieldSpec = {
  description: 'List of classes; needed by the "classification", "multi-label-classification" and "object-detection" tasks.',
  kinds: ["list_of_values"],
  schema: { type: "array", items: { type: "string" } },
  default: null,
};

/**
 * The provider's API key. `roboflowDefault`: Roboflow's manifests default to its managed key
 * (`rf_key:account`), which is refused here at run time (api-key.ts) — kept as the default so
 * that a definition relying on it compiles and then fails with a message saying what to give.
 */
export function apiKeyField(provider: string, roboflowDefault?: string): FieldSpec {
  return {
    description: `Your ${provider} API key: a parameter, or a secret from environment_secrets_store (never echoed in outputs, events or logs). Roboflow's managed keys (rf_key:...) do not exist in cvflow.`,
    kinds: ["string", "secret"],
    schema: { type: "string" },
    ...(roboflowDefault === undefined ? { required: true } : { default: roboflowDefault }),
  };
}

export function maxTokensField(defaultValue: number | null, minimum = 1): FieldSpec {
  return {
    description: `Maximum number of tokens the model may generate${defaultValue === null ? "; the model's own limit when unset" : ""}.`,
    schema: { type: "integer", minimum },
    default: defaultValue,
  };
}

export const TEMPERATURE_FIELD: FieldSpec = {
  description: 'Sampling temperature, 0.0-2.0: the higher, the more random ("creative") the answer; the provider\'s default when unset.',
  kinds: ["float"],
  schema: { type: "number", minimum: 0, maximum: 2 },
  default: null,
};

export const MAX_CONCURRENT_REQUESTS_FIELD: FieldSpec = {
  description:
    "Accepted for compatibility with Roboflow. cvflow sends one request per image, as many at once as the engine's step concurrency allows.",
  schema: { type: "integer", minimum: 1 },
  default: null,
};

/** Roboflow's outputs of the task-type blocks: the model's text, and the classes given (for vlm_as_classifier / vlm_as_detector). */
export const LLM_OUTPUTS: readonly OutputSpec[] = [
  { name: "output", kinds: ["string", "language_model_output"] },
  { name: "classes", kinds: ["list_of_values"] },
];
