/**
 * The OpenRouter-backed blocks that differ only by model list and defaults (openrouter-models.ts):
 * openrouter@v1, llama_3_2_vision@v1, llama_vision@v2, kimi_openrouter@v1/v2, google_gemma@v1/v2,
 * qwen3_5_openrouter@v1, qwen3_6_openrouter@v1. Each image is one chat completion at OpenRouter:
 * the task's prompt as a system message and a user message of its text and the image (JPEG,
 * quality 90, at its own size, as Roboflow sends it); the answer's text is `output`.
 */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import {
  ALL_LLM_TASKS,
  apiKeyField,
  CLASSES_FIELD,
  encodeImage,
  LLM_IMAGES,
  LLM_OUTPUTS,
  MAX_CONCURRENT_REQUESTS_FIELD,
  OUTPUT_STRUCTURE_FIELD,
  PROMPT_FIELD,
  providerKey,
  taskFieldProblems,
  taskPrompt,
  taskTypeField,
  type LlmTask,
} from "./llm/index.js";
import { chatMessages, openRouterChat, type PrivacyLevel } from "./openrouter-chat.js";
import { MAX_TOKENS_500, modelVersionField, PRIVACY_LEVEL_FIELD, slugOf, taskInputs, TEMPERATURE_0_1 } from "./openrouter-fields.js";
import { OPENROUTER_BLOCKS, type OpenRouterBlockRow } from "./openrouter-models.js";

function fieldsOf(row: OpenRouterBlockRow): Record<string, FieldSpec> {
  const tasks = row.withoutDetection ? ALL_LLM_TASKS.filter((task) => task !== "object-detection") : ALL_LLM_TASKS;
  const model: Record<string, FieldSpec> = row.models
    ? { model_version: modelVersionField(row.models, row.defaultModel!) }
    : {
        model_id: {
          description: "OpenRouter model slug, e.g. openai/gpt-4o-mini, anthropic/claude-3.5-sonnet, qwen/qwen3.6-27b (https://openrouter.ai/models); it must take images.",
          kinds: ["string"],
          schema: { type: "string", minLength: 1 },
          required: true,
        },
      };
  const prompt = row.promptFor ? { ...PROMPT_FIELD, description: `Text prompt to the ${row.promptFor} model; needed by the "unconstrained" and "visual-question-answering" tasks.` } : PROMPT_FIELD;
  return {
    images: LLM_IMAGES,
    ...(row.models ? {} : model),
    task_type: taskTypeField(tasks),
    prompt,
    output_structure: OUTPUT_STRUCTURE_FIELD,
    classes: CLASSES_FIELD,
    ...(row.generation === "own-key"
      ? { api_key: apiKeyField("OpenRouter") }
      : { api_key: apiKeyField("OpenRouter", "rf_key:account"), privacy_level: PRIVACY_LEVEL_FIELD }),
    ...(row.models ? model : {}),
    max_tokens: MAX_TOKENS_500,
    temperature: TEMPERATURE_0_1,
    max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
  };
}

function descriptionOf(row: OpenRouterBlockRow): string {
  const key =
    row.generation === "own-key"
      ? "Needs your OpenRouter API key."
      : 'Needs your OpenRouter API key (Roboflow\'s default, its managed key "rf_key:account", does not exist in cvflow); privacy_level filters the providers.';
  return [row.does, `Calls OpenRouter's chat completions API (billed by OpenRouter). ${key}`, row.deprecated ? `Deprecated by Roboflow in favour of ${row.deprecated}.` : ""]
    .filter(Boolean)
    .join(" ");
}

export function openRouterBlock(row: OpenRouterBlockRow) {
  return defineBlock({
    manifest: {
      type: row.type,
      name: row.name,
      description: descriptionOf(row),
      family: "models",
      fields: fieldsOf(row),
      outputs: LLM_OUTPUTS,
    },
    validate: (step) => taskFieldProblems(step, "unconstrained"),
    async run(params, ctx) {
      const key = providerKey(params["api_key"], "OpenRouter");
      const model = row.models ? slugOf(row.models, params["model_version"]) : String(params["model_id"]);
      const image = await encodeImage(params["images"] as WorkflowImage, { format: "jpeg" });
      const prompt = taskPrompt(params["task_type"] as LlmTask, taskInputs(params), { detection: "normalized" });
      const answer = await openRouterChat(ctx, {
        key,
        model,
        messages: chatMessages(prompt, image),
        maxTokens: params["max_tokens"] as number,
        temperature: (params["temperature"] as number | null) ?? null,
        ...(row.generation === "passthrough" ? { privacy: params["privacy_level"] as PrivacyLevel } : {}),
      });
      return { output: answer.content, classes: params["classes"] ?? null };
    },
  });
}

export const openRouterBlocks = OPENROUTER_BLOCKS.map(openRouterBlock);
