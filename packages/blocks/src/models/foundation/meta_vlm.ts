/**
 * meta_vlm@v1: Meta's Muse models through OpenRouter, prompted as Roboflow benchmarked them — one
 * user message with the image first and the instruction after it (no system message), reasoning
 * always on at the chosen effort (Muse refuses to turn it off), object detection in Muse's own
 * boxes (0-1000, parsed by vlm_as_detector@v2 with model_type "muse"), the reasoning returned as
 * `thinking`.
 */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { groundingPrompt } from "./grounding-prompts.js";
import {
  ALL_LLM_TASKS,
  apiKeyField,
  CLASSES_FIELD,
  LLM_IMAGES,
  LLM_OUTPUTS,
  MAX_CONCURRENT_REQUESTS_FIELD,
  OUTPUT_STRUCTURE_FIELD,
  PROMPT_FIELD,
  providerKey,
  taskFieldProblems,
  taskPrompt,
  taskTypeField,
  TEMPERATURE_FIELD,
  type LlmTask,
  type TaskPrompt,
} from "./llm/index.js";
import {
  modelVersionField,
  nullableMaxTokens,
  PRIVACY_LEVEL_FIELD,
  REASONING_MAX_TOKENS,
  slugOf,
  taskInputs,
  THINKING_OUTPUT,
} from "./openrouter-fields.js";
import { encodeUnderCap, imageFirstMessages, openRouterChat, type PrivacyLevel } from "./openrouter-chat.js";

const MUSE_MODELS = {
  "Muse Spark 1.1": "meta/muse-spark-1.1",
  "Muse Spark 1.2": "meta/muse-spark-1.2",
  "Muse Glimmer": "meta/muse-glimmer-30b",
};

const REASONING_EFFORT: FieldSpec = {
  description: 'How much the model reasons before answering: "low" (default, the least Muse accepts), "medium" or "high" (slowest and dearest; raise max_tokens with it).',
  schema: { enum: ["low", "medium", "high"] },
  default: "low",
};

/** What the model is asked, as one text after the image: a task's prompt, or Muse's detection format. */
function musePrompt(task: LlmTask, params: Readonly<Record<string, unknown>>): TaskPrompt {
  const inputs = taskInputs(params);
  return task === "object-detection" ? { user: groundingPrompt("muse", inputs.classes ?? []) } : taskPrompt(task, inputs);
}

export const metaVlmBlock = defineBlock({
  manifest: {
    type: "roboflow_core/meta_vlm@v1",
    name: "Meta",
    description:
      "Ask Meta's Muse vision-language models (Spark 1.1, Spark 1.2, Glimmer) about images, through OpenRouter's chat completions API (billed by OpenRouter). Object detection answers in Muse's 0-1000 boxes: parse with vlm_as_detector@v2, model_type \"muse\". Needs your OpenRouter API key (Roboflow's default, its managed key \"rf_key:account\", does not exist in cvflow).",
    family: "models",
    fields: {
      images: LLM_IMAGES,
      model_version: modelVersionField(MUSE_MODELS, "Muse Spark 1.2"),
      task_type: taskTypeField(ALL_LLM_TASKS),
      prompt: PROMPT_FIELD,
      output_structure: OUTPUT_STRUCTURE_FIELD,
      classes: CLASSES_FIELD,
      reasoning_effort: REASONING_EFFORT,
      max_tokens: nullableMaxTokens(REASONING_MAX_TOKENS),
      temperature: TEMPERATURE_FIELD,
      api_key: apiKeyField("OpenRouter", "rf_key:account"),
      privacy_level: PRIVACY_LEVEL_FIELD,
      max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
    },
    outputs: [...LLM_OUTPUTS, THINKING_OUTPUT],
  },
  validate: (step) => taskFieldProblems(step, "unconstrained"),
  async run(params, ctx) {
    const key = providerKey(params["api_key"], "OpenRouter");
    const model = slugOf(MUSE_MODELS, params["model_version"]);
    const image = await encodeUnderCap(params["images"] as WorkflowImage);
    const answer = await openRouterChat(ctx, {
      key,
      model,
      messages: imageFirstMessages(musePrompt(params["task_type"] as LlmTask, params), image),
      maxTokens: (params["max_tokens"] as number | null) ?? REASONING_MAX_TOKENS,
      temperature: (params["temperature"] as number | null) ?? null,
      privacy: params["privacy_level"] as PrivacyLevel,
      reasoning: { effort: params["reasoning_effort"] },
    });
    return { output: answer.content, classes: params["classes"] ?? null, thinking: answer.reasoning };
  },
});
