/**
 * qwen_vlm@v1/v2: Roboflow's unified Qwen block — `backend` "native" (small Qwen-VL models on
 * Roboflow's servers, or a workspace fine-tune) or "openrouter" (hosted Qwen models). cvflow has no
 * Qwen weights, so the native backend (Roboflow's default) fails with model_unavailable; the
 * OpenRouter backend calls OpenRouter's chat completions.
 * - v1 prompts as the other OpenRouter blocks (openrouter.ts): system message, then text and image.
 * - v2 prompts as Roboflow benchmarked Qwen: one user message, image first; object detection in
 *   Qwen's 0-1000 boxes (vlm_as_detector@v2, model_type "qwen"); reasoning off unless asked (on at
 *   low effort for the models that cannot turn it off), returned as `thinking`; the image shrunk
 *   under DashScope's data-URI limit.
 */
import { defineBlock, type BlockContext, type FieldSpec, type Problem } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { modelUnavailable } from "../../errors.js";
import { groundingPrompt } from "./grounding-prompts.js";
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
  TEMPERATURE_FIELD,
  type LlmTask,
} from "./llm/index.js";
import { chatMessages, encodeUnderCap, imageFirstMessages, openRouterChat, type PrivacyLevel } from "./openrouter-chat.js";
import {
  MAX_TOKENS_500,
  modelVersionField,
  nullableMaxTokens,
  PRIVACY_LEVEL_FIELD,
  REASONING_MAX_TOKENS,
  slugOf,
  taskInputs,
  TEMPERATURE_0_1,
  THINKING_OUTPUT,
} from "./openrouter-fields.js";

const FINE_TUNED = "Fine-tuned model";

const NATIVE_V1 = {
  "Qwen 2.5 VL 7B": "qwen25-vl-7b",
  "Qwen 3 VL 2B": "qwen3vl-2b-instruct",
  "Qwen 3.5 VL 0.8B": "qwen3_5-0.8b",
  "Qwen 3.5 VL 2B": "qwen3_5-2b",
  "Qwen 3.8 VL 27B": "qwen3_8-27b",
};
const { "Qwen 3.8 VL 27B": _notInV2, ...NATIVE_V2 } = NATIVE_V1;

const OPENROUTER_V1 = {
  "Qwen 3.5 9B": "qwen/qwen3.5-9b",
  "Qwen 3.5 27B": "qwen/qwen3.5-27b",
  "Qwen 3.5 122B A10B": "qwen/qwen3.5-122b-a10b",
  "Qwen 3.5 397B A17B": "qwen/qwen3.5-397b-a17b",
  "Qwen 3.5 Flash 02-23": "qwen/qwen3.5-flash-02-23",
  "Qwen 3.5 Plus": "qwen/qwen3.5-plus-20260420",
  "Qwen 3.6 27B": "qwen/qwen3.6-27b",
  "Qwen 3.6 35B A3B": "qwen/qwen3.6-35b-a3b",
  "Qwen 3.6 Flash": "qwen/qwen3.6-flash",
  "Qwen 3.6 Plus": "qwen/qwen3.6-plus",
  "Qwen 3.8 Max": "qwen/qwen3.8-max",
};

const OPENROUTER_V2 = {
  "Qwen 3.8 Max": "qwen/qwen3.8-max",
  "Qwen 3.7 Plus": "qwen/qwen3.7-plus",
  "Qwen 3.7 Flash": "qwen/qwen3.7-flash",
  "Qwen 3.8 27B": "qwen/qwen3.8-27b",
  "Qwen 3.6 Plus": "qwen/qwen3.6-plus",
  "Qwen 3.6 Flash": "qwen/qwen3.6-flash",
  "Qwen 3.6 27B": "qwen/qwen3.6-27b",
  "Qwen 3.6 35B A3B": "qwen/qwen3.6-35b-a3b",
  "Qwen 3.5 Plus": "qwen/qwen3.5-plus-20260420",
  "Qwen 3.5 Plus 02-15": "qwen/qwen3.5-plus-02-15",
  "Qwen 3.5 Flash": "qwen/qwen3.5-flash-02-23",
  "Qwen 3.5 9B": "qwen/qwen3.5-9b",
  "Qwen 3.5 27B": "qwen/qwen3.5-27b",
  "Qwen 3.5 35B A3B": "qwen/qwen3.5-35b-a3b",
  "Qwen 3.5 122B A10B": "qwen/qwen3.5-122b-a10b",
  "Qwen 3.5 397B A17B": "qwen/qwen3.5-397b-a17b",
  "Qwen 3 VL 8B Instruct": "qwen/qwen3-vl-8b-instruct",
  "Qwen 3 VL 8B Thinking": "qwen/qwen3-vl-8b-thinking",
  "Qwen 3 VL 30B A3B Instruct": "qwen/qwen3-vl-30b-a3b-instruct",
  "Qwen 3 VL 30B A3B Thinking": "qwen/qwen3-vl-30b-a3b-thinking",
  "Qwen 3 VL 32B Instruct": "qwen/qwen3-vl-32b-instruct",
  "Qwen 3 VL 235B A22B": "qwen/qwen3-vl-235b-a22b-instruct",
  "Qwen 3 VL 235B A22B Thinking": "qwen/qwen3-vl-235b-a22b-thinking",
};

/** The models that refuse `reasoning: {enabled: false}`: asked at low effort instead. */
const REASONING_REQUIRED = new Set(["qwen/qwen3.8-max", "qwen/qwen3-vl-8b-thinking", "qwen/qwen3-vl-30b-a3b-thinking", "qwen/qwen3-vl-235b-a22b-thinking"]);

/** OpenRouter's reasoning config for qwen_vlm@v2's `reasoning_effort` (Roboflow's rule). */
export function qwenReasoning(effort: string, slug: string): Record<string, unknown> {
  if (effort === "none") return REASONING_REQUIRED.has(slug) ? { effort: "low" } : { enabled: false };
  return { effort };
}

const BACKEND: FieldSpec = {
  description:
    'Where the model runs: "native" (Roboflow\'s servers; cvflow has no Qwen weights, so a run fails with model_unavailable) or "openrouter" (hosted Qwen models through OpenRouter).',
  schema: { enum: ["native", "openrouter"] },
  default: "native",
};

const FINE_TUNED_MODEL_ID: FieldSpec = {
  description: `A Qwen3-VL fine-tune of your Roboflow workspace ("workspace/version"), when model_version is "${FINE_TUNED}" (native backend; not available in cvflow).`,
  kinds: ["roboflow_model_id", "string"],
  schema: { type: "string" },
  default: null,
};

function nativeVersionField(models: Record<string, string>): FieldSpec {
  return {
    description: `The native Qwen-VL model (backend "native"): ${Object.keys(models).map((l) => `"${l}"`).join(", ")}, or "${FINE_TUNED}" with fine_tuned_model_id.`,
    kinds: ["string"],
    schema: { enum: [...Object.keys(models), FINE_TUNED] },
    default: "Qwen 3.5 VL 2B",
  };
}

function onlyForOpenRouter(field: FieldSpec): FieldSpec {
  return { ...field, description: `${field.description} Used with backend "openrouter" only.` };
}

function problems(step: Readonly<Record<string, unknown>>): Problem[] {
  const found = taskFieldProblems(step, "unconstrained");
  const native = (step["backend"] ?? "native") === "native";
  if (native && step["model_version"] === FINE_TUNED && !step["fine_tuned_model_id"]) {
    found.push({ property: "fine_tuned_model_id", message: `\`fine_tuned_model_id\` is required when model_version is "${FINE_TUNED}"` });
  }
  return found;
}

/** The native backend: Roboflow's servers run it; here a clear model_unavailable. */
function nativeUnavailable(type: string, params: Readonly<Record<string, unknown>>, native: Record<string, string>, ctx: BlockContext): never {
  const label = params["model_version"];
  const asked = label === FINE_TUNED ? params["fine_tuned_model_id"] : typeof label === "string" ? (native[label] ?? label) : label;
  throw modelUnavailable(
    `${type} with backend "native" needs Qwen-VL weights (${JSON.stringify(asked)}), which cvflow does not have: use backend "openrouter" with your OpenRouter API key`,
    asked,
    ctx.services.models?.list().map(({ id, task }) => ({ id, task })) ?? [],
  );
}

const DESCRIPTION =
  'Ask Qwen vision-language models about images. backend "openrouter" calls OpenRouter\'s chat completions API (billed by OpenRouter) and needs your OpenRouter API key (Roboflow\'s default, its managed key "rf_key:account", does not exist in cvflow); backend "native" (the default) runs Qwen-VL on Roboflow\'s servers, which cvflow cannot: it fails with model_unavailable.';

export const qwenVlmV1Block = defineBlock({
  manifest: {
    type: "roboflow_core/qwen_vlm@v1",
    name: "Qwen",
    description: DESCRIPTION,
    family: "models",
    fields: {
      images: LLM_IMAGES,
      backend: BACKEND,
      model_version: nativeVersionField(NATIVE_V1),
      fine_tuned_model_id: FINE_TUNED_MODEL_ID,
      openrouter_model_version: onlyForOpenRouter(modelVersionField(OPENROUTER_V1, "Qwen 3.6 27B")),
      task_type: taskTypeField(ALL_LLM_TASKS),
      prompt: PROMPT_FIELD,
      enable_thinking: {
        description: "Qwen3.5-VL's reasoning mode on the native backend (its trace in `thinking`); ignored by the OpenRouter backend.",
        schema: { type: "boolean" },
        default: false,
      },
      output_structure: OUTPUT_STRUCTURE_FIELD,
      classes: CLASSES_FIELD,
      api_key: onlyForOpenRouter(apiKeyField("OpenRouter", "rf_key:account")),
      privacy_level: onlyForOpenRouter(PRIVACY_LEVEL_FIELD),
      max_tokens: MAX_TOKENS_500,
      temperature: onlyForOpenRouter(TEMPERATURE_0_1),
      max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
    },
    outputs: [...LLM_OUTPUTS, { ...THINKING_OUTPUT, description: "Always empty here: the native backend's reasoning trace (enable_thinking), which cvflow cannot run." }],
  },
  validate: problems,
  async run(params, ctx) {
    if (params["backend"] !== "openrouter") nativeUnavailable("roboflow_core/qwen_vlm@v1", params, NATIVE_V1, ctx);
    const key = providerKey(params["api_key"], "OpenRouter");
    const model = slugOf(OPENROUTER_V1, params["openrouter_model_version"], "openrouter_model_version");
    const image = await encodeImage(params["images"] as WorkflowImage, { format: "jpeg" });
    const prompt = taskPrompt(params["task_type"] as LlmTask, taskInputs(params), { detection: "normalized" });
    const answer = await openRouterChat(ctx, {
      key,
      model,
      messages: chatMessages(prompt, image),
      maxTokens: params["max_tokens"] as number,
      temperature: (params["temperature"] as number | null) ?? null,
      privacy: params["privacy_level"] as PrivacyLevel,
    });
    return { output: answer.content, classes: params["classes"] ?? null, thinking: "" };
  },
});

export const qwenVlmV2Block = defineBlock({
  manifest: {
    type: "roboflow_core/qwen_vlm@v2",
    name: "Qwen",
    description: `${DESCRIPTION} v2 prompts Qwen with the image first in one user message, asks object detection in Qwen's 0-1000 boxes (parse with vlm_as_detector@v2, model_type "qwen") and turns reasoning off unless reasoning_effort asks for it.`,
    family: "models",
    fields: {
      images: LLM_IMAGES,
      backend: BACKEND,
      model_version: nativeVersionField(NATIVE_V2),
      fine_tuned_model_id: FINE_TUNED_MODEL_ID,
      openrouter_model_version: onlyForOpenRouter(modelVersionField(OPENROUTER_V2, "Qwen 3.7 Plus")),
      task_type: taskTypeField(ALL_LLM_TASKS),
      prompt: PROMPT_FIELD,
      enable_thinking: {
        description: "Qwen3.5-VL's reasoning mode on the native backend; the OpenRouter backend uses reasoning_effort.",
        schema: { type: "boolean" },
        default: false,
      },
      output_structure: OUTPUT_STRUCTURE_FIELD,
      classes: CLASSES_FIELD,
      reasoning_effort: onlyForOpenRouter({
        description:
          'Reasoning before the answer: "none" (default: off, as Qwen\'s default long reasoning slows answers and can spend max_tokens; Qwen 3.8 Max and the Thinking models cannot turn it off and reason at "low"), "low", "medium" or "high".',
        schema: { enum: ["none", "low", "medium", "high"] },
        default: "none",
      }),
      api_key: onlyForOpenRouter(apiKeyField("OpenRouter", "rf_key:account")),
      privacy_level: onlyForOpenRouter(PRIVACY_LEVEL_FIELD),
      max_tokens: nullableMaxTokens(REASONING_MAX_TOKENS),
      temperature: onlyForOpenRouter(TEMPERATURE_FIELD),
      max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
    },
    outputs: [...LLM_OUTPUTS, THINKING_OUTPUT],
  },
  validate: problems,
  async run(params, ctx) {
    if (params["backend"] !== "openrouter") nativeUnavailable("roboflow_core/qwen_vlm@v2", params, NATIVE_V2, ctx);
    const key = providerKey(params["api_key"], "OpenRouter");
    const model = slugOf(OPENROUTER_V2, params["openrouter_model_version"], "openrouter_model_version");
    const task = params["task_type"] as LlmTask;
    const inputs = taskInputs(params);
    const prompt = task === "object-detection" ? { user: groundingPrompt("qwen", inputs.classes ?? []) } : taskPrompt(task, inputs);
    const image = await encodeUnderCap(params["images"] as WorkflowImage);
    const answer = await openRouterChat(ctx, {
      key,
      model,
      messages: imageFirstMessages(prompt, image),
      maxTokens: (params["max_tokens"] as number | null) ?? REASONING_MAX_TOKENS,
      temperature: (params["temperature"] as number | null) ?? null,
      privacy: params["privacy_level"] as PrivacyLevel,
      reasoning: qwenReasoning(params["reasoning_effort"] as string, model),
    });
    return { output: answer.content, classes: params["classes"] ?? null, thinking: answer.reasoning };
  },
});
