/**
 * OpenAI (v1-v5): asks OpenAI's GPT models about each image, with Roboflow's fields, defaults and
 * outputs. v1 is the free-prompt block of Roboflow's first release (json_output_format's keys
 * become outputs); v2 and v3 take a task type and call Chat Completions (v2 with max_tokens, v3
 * with max_completion_tokens, and Roboflow's managed key as api_key's default, refused here); v4
 * and v5 call the Responses API and add object-detection and reasoning_effort. v4 asks every model
 * for normalized boxes; v5 asks each model for the box format it does best (Roboflow's benchmark:
 * pixel box_2d lists, the same under "detections" enforced by a JSON Schema, or normalized boxes),
 * sending the image as PNG shrunk to 2048 px on its long edge, which vlm_as_detector@v2 undoes.
 */
import { defineBlock, type BlockContext, type BlockOutputs, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../../errors.js";
import { jsonFormatOutputs, LEGACY_LMM_OUTPUTS, legacyLmmOutputs, legacyPrompt } from "./legacy-lmm.js";
import { providerKey } from "./llm/api-key.js";
import { encodeImage } from "./llm/encode-image.js";
import {
  apiKeyField,
  CLASSES_FIELD,
  LLM_IMAGES,
  LLM_OUTPUTS,
  MAX_CONCURRENT_REQUESTS_FIELD,
  maxTokensField,
  OUTPUT_STRUCTURE_FIELD,
  PROMPT_FIELD,
  taskTypeField,
  TEMPERATURE_FIELD,
} from "./llm/fields.js";
import { taskPrompt, type DetectionFormat } from "./llm/prompts.js";
import { ALL_LLM_TASKS, taskFieldProblems, type LlmTask } from "./llm/tasks.js";
import { chatCompletion, createResponse, OPENAI, openAiBase, type ImageDetail } from "./openai-api.js";

/** Roboflow's OPENAI_MODELS (v4, v5): the reasoning efforts each takes and, for v5, the box format it is asked for. */
const OPENAI_MODELS: readonly { id: string; efforts: readonly string[]; detection: DetectionFormat }[] = [
  { id: "gpt-5.6-sol", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.6-terra", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.6-luna", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.5", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.4", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.4-mini", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.4-nano", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels" },
  { id: "gpt-5.2", efforts: ["none", "low", "medium", "high", "xhigh"], detection: "pixels-wrapped" },
  { id: "gpt-5.1", efforts: ["none", "low", "medium", "high"], detection: "normalized" },
  { id: "gpt-5", efforts: ["minimal", "low", "medium", "high"], detection: "normalized" },
  { id: "gpt-5-mini", efforts: ["minimal", "low", "medium", "high"], detection: "normalized" },
  { id: "gpt-5-nano", efforts: ["minimal", "low", "medium", "high"], detection: "normalized" },
  { id: "gpt-4.1", efforts: [], detection: "pixels" },
  { id: "gpt-4.1-mini", efforts: [], detection: "pixels" },
  { id: "gpt-4.1-nano", efforts: [], detection: "pixels" },
  { id: "gpt-4o", efforts: [], detection: "pixels" },
  { id: "gpt-4o-mini", efforts: [], detection: "pixels" },
];
const MODEL_INFO = new Map(OPENAI_MODELS.map((model) => [model.id, model]));

/** Roboflow's v5 rule: a model it does not list (a newer one) gets the newest generation's format. */
export function detectionFormatFor(model: string): DetectionFormat {
  return MODEL_INFO.get(model)?.detection ?? "pixels-wrapped";
}

/** The upload limit of v5's object-detection (Roboflow's DETECTION_MAX_EDGE_PIXELS). */
export const DETECTION_MAX_SIDE = 2048;

const V1_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.5"];
const V2_MODELS = ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-5", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.5"];
const V3_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.5", "o3", "o4-mini"];
const CHAT_TASKS = ALL_LLM_TASKS.filter((task) => task !== "object-detection");

function modelField(name: string, models: readonly string[], defaultModel: string): FieldSpec {
  return { description: `${name}: one of ${models.join(", ")} (a selector may name another).`, kinds: ["string"], schema: { enum: models }, default: defaultModel };
}

const IMAGE_DETAIL: FieldSpec = {
  description: "The detail OpenAI looks at the image with: high for high-resolution processing, low for a fast, cheap look, auto to let it choose.",
  kinds: ["string"],
  schema: { enum: ["auto", "high", "low"] },
  default: "auto",
};

const REASONING_EFFORT: FieldSpec = {
  description:
    "How much the model reasons before answering (less: faster, fewer tokens). GPT-5.1 and newer take none/low/medium/high (GPT-5.2 and newer also xhigh), GPT-5 minimal/low/medium/high; ignored for models that do not reason.",
  kinds: ["string"],
  schema: { enum: ["none", "minimal", "low", "medium", "high", "xhigh"] },
  default: null,
};

const MANAGED_KEY = "rf_key:account";
const DESCRIPTION =
  "Ask OpenAI's GPT models about each image. cvflow calls OpenAI's API directly (POST /v1/chat/completions or /v1/responses, the image inline as base64) with the API key given — a parameter or a secret from environment_secrets_store; Roboflow's managed keys (rf_key:...) do not exist here.";

interface TaskParams {
  [key: string]: unknown;
  images: WorkflowImage;
  task_type: LlmTask;
  prompt: string | null;
  output_structure: Record<string, string> | null;
  classes: string[] | null;
  api_key: unknown;
  model_version: string;
  image_detail: ImageDetail;
  max_tokens: number | null;
  temperature: number | null;
  reasoning_effort?: string | null;
}

function taskFields(version: 2 | 3 | 4 | 5): Record<string, FieldSpec> {
  const responses = version >= 4;
  return {
    images: LLM_IMAGES,
    task_type: taskTypeField(responses ? ALL_LLM_TASKS : CHAT_TASKS),
    prompt: PROMPT_FIELD,
    output_structure: OUTPUT_STRUCTURE_FIELD,
    classes: CLASSES_FIELD,
    api_key: apiKeyField(OPENAI, version === 2 ? undefined : MANAGED_KEY),
    model_version:
      version === 2
        ? modelField("Model to be used", V2_MODELS, "gpt-4o")
        : version === 3
          ? modelField("Model to be used", V3_MODELS, "gpt-5")
          : modelField("Model to be used", OPENAI_MODELS.map((m) => m.id), "gpt-5.1"),
    ...(responses ? { reasoning_effort: REASONING_EFFORT } : {}),
    image_detail: version === 5 ? { ...IMAGE_DETAIL, description: `${IMAGE_DETAIL.description} Not sent for object-detection.` } : IMAGE_DETAIL,
    max_tokens: responses ? maxTokensField(null, 16) : maxTokensField(450),
    temperature: TEMPERATURE_FIELD,
    max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
  };
}

/** The effort to send: none when not asked or when the model does not reason; refused when the model does not take it. */
function reasoningEffort(model: string, effort: string | null | undefined): string | undefined {
  const efforts = MODEL_INFO.get(model)?.efforts ?? [];
  if (!effort || efforts.length === 0) return undefined;
  if (!efforts.includes(effort)) throw invalidField(`reasoning_effort: ${model} does not take "${effort}"; it takes ${efforts.map((e) => `"${e}"`).join(", ")}`);
  return effort;
}

async function runTask(version: 2 | 3 | 4 | 5, params: TaskParams, ctx: BlockContext): Promise<BlockOutputs> {
  const key = providerKey(params.api_key, OPENAI);
  const task = params.task_type;
  const detection = task === "object-detection" ? (version === 5 ? detectionFormatFor(params.model_version) : "normalized") : undefined;
  // v5 sends detection images as lossless PNG within 2048 px, which its pixel boxes refer to.
  const v5Detection = version === 5 && detection !== undefined;
  const image = await encodeImage(params.images, v5Detection ? { format: "png", maxSide: DETECTION_MAX_SIDE } : { format: "jpeg" });
  const prompt = taskPrompt(task, params, { ...(detection ? { detection } : {}), width: image.width, height: image.height });
  let output: string;
  if (version <= 3) {
    output = await chatCompletion(ctx, {
      base: openAiBase(ctx),
      provider: OPENAI,
      key,
      model: params.model_version,
      ...(prompt.system ? { system: prompt.system } : {}),
      text: prompt.user,
      images: [image],
      detail: params.image_detail,
      maxTokens: { field: version === 2 ? "max_tokens" : "max_completion_tokens", value: params.max_tokens ?? 450 },
      temperature: params.temperature,
    });
  } else {
    const effort = reasoningEffort(params.model_version, params.reasoning_effort);
    output = await createResponse(ctx, {
      key,
      model: params.model_version,
      ...(prompt.system ? { instructions: prompt.system } : {}),
      text: prompt.user,
      image,
      ...(v5Detection ? { imageFirst: true } : { detail: params.image_detail }),
      maxOutputTokens: params.max_tokens,
      temperature: params.temperature,
      ...(effort ? { reasoningEffort: effort } : {}),
      ...(v5Detection && prompt.schema ? { schema: { name: "detections", schema: prompt.schema } } : {}),
    });
  }
  return { output, classes: params.classes };
}

function taskBlock(version: 2 | 3 | 4 | 5) {
  return defineBlock<TaskParams>({
    manifest: {
      type: `roboflow_core/open_ai@v${version}`,
      name: "OpenAI",
      description:
        version >= 4
          ? `${DESCRIPTION} For object-detection, parse the output with roboflow_core/vlm_as_detector@v2 (model_type "openai").`
          : DESCRIPTION,
      family: "models",
      fields: taskFields(version),
      outputs: LLM_OUTPUTS,
    },
    validate: (step) => taskFieldProblems(step, "unconstrained"),
    run: (params, ctx) => runTask(version, params, ctx),
  });
}

export const openAiV2Block = taskBlock(2);
export const openAiV3Block = taskBlock(3);
export const openAiV4Block = taskBlock(4);
export const openAiV5Block = taskBlock(5);

interface V1Params {
  [key: string]: unknown;
  images: WorkflowImage;
  prompt: string;
  openai_api_key: unknown;
  openai_model: string;
  json_output_format: Record<string, string> | null;
  image_detail: ImageDetail;
  max_tokens: number;
}

export const openAiV1Block = defineBlock<V1Params>({
  manifest: {
    type: "roboflow_core/open_ai@v1",
    aliases: ["OpenAI"],
    name: "OpenAI",
    description: `${DESCRIPTION} Each key of json_output_format becomes an output holding that field of the model's JSON answer ("not_detected" when absent).`,
    family: "models",
    fields: {
      images: LLM_IMAGES,
      prompt: { description: "Text prompt to the OpenAI model.", kinds: ["string"], schema: { type: "string" }, required: true },
      openai_api_key: { ...apiKeyField(OPENAI), required: true },
      openai_model: modelField("Model to be used", V1_MODELS, "gpt-4o"),
      json_output_format: {
        description: "Names of output fields mapped to their descriptions: the model is asked for JSON with these fields, and each becomes an output.",
        schema: { type: "object", additionalProperties: { type: "string" } },
        default: null,
      },
      image_detail: IMAGE_DETAIL,
      max_tokens: { description: "Maximum number of tokens the model may generate.", schema: { type: "integer", minimum: 1 }, default: 450 },
    },
    outputs: LEGACY_LMM_OUTPUTS,
    dynamicOutputs: (step) => jsonFormatOutputs(step["json_output_format"]),
  },
  async run(params, ctx) {
    const key = providerKey(params.openai_api_key, OPENAI, "openai_api_key");
    const image = await encodeImage(params.images, { format: "jpeg" });
    const text = await chatCompletion(ctx, {
      base: openAiBase(ctx),
      provider: OPENAI,
      key,
      model: params.openai_model,
      text: legacyPrompt(params.prompt, params.json_output_format),
      images: [image],
      detail: params.image_detail,
      maxTokens: { field: "max_tokens", value: params.max_tokens },
    });
    return legacyLmmOutputs(params.images, text, params.json_output_format);
  },
});

export const openAiBlocks = [openAiV1Block, openAiV2Block, openAiV3Block, openAiV4Block, openAiV5Block];
