/**
 * LMM and LMM For Classification (v1, deprecated by Roboflow): prompt GPT-4 with vision
 * (`lmm_type: gpt_4v`) through OpenAI's Chat Completions, configured by `lmm_config`. Roboflow's
 * older `cog_vlm` type is accepted so that old definitions compile; running it fails with
 * model_unavailable (Roboflow removed CogVLM too). lmm_for_classification asks for
 * `{"top": "<class>"}` and outputs that field.
 */
import { defineBlock, type BlockContext, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField, modelUnavailable } from "../../errors.js";
import { jsonFormatOutputs, LEGACY_LMM_OUTPUTS, legacyLmmOutputs, legacyPrompt } from "./legacy-lmm.js";
import { providerKey } from "./llm/api-key.js";
import { encodeImage } from "./llm/encode-image.js";
import { apiKeyField, LLM_IMAGES } from "./llm/fields.js";
import { chatCompletion, OPENAI, openAiBase, type ImageDetail } from "./openai-api.js";

interface LmmConfig {
  max_tokens: number;
  gpt_image_detail: ImageDetail;
  gpt_model_version: string;
}

const LMM_TYPE: FieldSpec = {
  description: 'Type of LMM to be used: "gpt_4v" (OpenAI). "cog_vlm" compiles but fails with model_unavailable.',
  kinds: ["string"],
  schema: { enum: ["gpt_4v", "cog_vlm"] },
  required: true,
};

const LMM_CONFIG: FieldSpec = {
  description: 'Configuration of the LMM: max_tokens (default 450), gpt_image_detail ("auto", "high" or "low"; default "auto"), gpt_model_version (default "gpt-4o").',
  schema: {
    type: "object",
    properties: {
      max_tokens: { type: "integer", minimum: 1 },
      gpt_image_detail: { enum: ["low", "high", "auto"] },
      gpt_model_version: { type: "string" },
    },
    additionalProperties: false,
  },
  default: {},
};

const REMOTE_API_KEY: FieldSpec = { ...apiKeyField(OPENAI), default: null, required: false };

function lmmConfig(value: unknown): LmmConfig {
  const given = (value ?? {}) as Partial<LmmConfig>;
  return { max_tokens: given.max_tokens ?? 450, gpt_image_detail: given.gpt_image_detail ?? "auto", gpt_model_version: given.gpt_model_version ?? "gpt-4o" };
}

/** The model's answer to `prompt` about `image`, for lmm_type gpt_4v. */
async function askGpt4v(ctx: BlockContext, type: string, lmmType: string, image: WorkflowImage, prompt: string, config: LmmConfig, apiKey: unknown): Promise<string> {
  if (lmmType === "cog_vlm") {
    throw modelUnavailable(`${type} with lmm_type "cog_vlm" needs CogVLM, which cvflow does not have (Roboflow removed it as well): use lmm_type "gpt_4v"`, "cog_vlm", []);
  }
  if (lmmType !== "gpt_4v") throw invalidField(`lmm_type: "${lmmType}" is not an LMM type; use "gpt_4v"`);
  const key = providerKey(apiKey, OPENAI, "remote_api_key");
  const encoded = await encodeImage(image, { format: "jpeg" });
  return chatCompletion(ctx, {
    base: openAiBase(ctx),
    provider: OPENAI,
    key,
    model: config.gpt_model_version,
    text: prompt,
    images: [encoded],
    detail: config.gpt_image_detail,
    maxTokens: { field: "max_tokens", value: config.max_tokens },
  });
}

const DESCRIPTION_TAIL =
  "It calls OpenAI's Chat Completions API directly with the key in remote_api_key (a parameter, or a secret from environment_secrets_store). Deprecated by Roboflow: prefer roboflow_core/open_ai@v5.";

interface LmmParams {
  [key: string]: unknown;
  images: WorkflowImage;
  prompt: string;
  lmm_type: string;
  lmm_config: unknown;
  remote_api_key: unknown;
  json_output: Record<string, string> | null;
}

export const lmmBlock = defineBlock<LmmParams>({
  manifest: {
    type: "roboflow_core/lmm@v1",
    aliases: ["LMM"],
    name: "LMM",
    description: `Ask a large multimodal model (GPT-4 with vision) about each image; each key of json_output becomes an output. ${DESCRIPTION_TAIL}`,
    family: "models",
    fields: {
      images: LLM_IMAGES,
      prompt: { description: "The prompt to the LMM.", kinds: ["string"], schema: { type: "string" }, required: true },
      lmm_type: LMM_TYPE,
      lmm_config: LMM_CONFIG,
      remote_api_key: REMOTE_API_KEY,
      json_output: {
        description: "Names of output fields mapped to their descriptions: the model is asked for JSON with these fields, and each becomes an output.",
        schema: { type: "object", additionalProperties: { type: "string" } },
        default: null,
      },
    },
    outputs: LEGACY_LMM_OUTPUTS,
    dynamicOutputs: (step) => jsonFormatOutputs(step["json_output"]),
  },
  async run(params, ctx) {
    const text = await askGpt4v(ctx, "lmm@v1", params.lmm_type, params.images, legacyPrompt(params.prompt, params.json_output), lmmConfig(params.lmm_config), params.remote_api_key);
    return legacyLmmOutputs(params.images, text, params.json_output);
  },
});

interface LmmClassificationParams {
  [key: string]: unknown;
  images: WorkflowImage;
  lmm_type: string;
  classes: string[];
  lmm_config: unknown;
  remote_api_key: unknown;
}

export const lmmForClassificationBlock = defineBlock<LmmClassificationParams>({
  manifest: {
    type: "roboflow_core/lmm_for_classification@v1",
    aliases: ["LMMForClassification"],
    name: "LMM For Classification",
    description: `Classify each image into one of the classes given with a large multimodal model (GPT-4 with vision): top is its answer ("not_detected" when it gave none). ${DESCRIPTION_TAIL}`,
    family: "models",
    fields: {
      images: LLM_IMAGES,
      lmm_type: LMM_TYPE,
      classes: { description: "The classes the LMM chooses from.", kinds: ["list_of_values"], schema: { type: "array", items: { type: "string" } }, required: true },
      lmm_config: LMM_CONFIG,
      remote_api_key: REMOTE_API_KEY,
    },
    outputs: [
      { name: "raw_output", kinds: ["string"] },
      { name: "top", kinds: ["top_class"] },
      { name: "parent_id", kinds: ["parent_id"] },
      { name: "root_parent_id", kinds: ["parent_id"] },
      { name: "image", kinds: ["image_metadata"] },
      { name: "prediction_type", kinds: ["prediction_type"] },
    ],
  },
  async run(params, ctx) {
    const prompt = `Classify this image: assign it exactly one of these classes: ${params.classes.join(", ")}. Answer with JSON of this shape: {"top": "the-class"}`;
    const text = await askGpt4v(ctx, "lmm_for_classification@v1", params.lmm_type, params.images, prompt, lmmConfig(params.lmm_config), params.remote_api_key);
    const outputs = legacyLmmOutputs(params.images, text, { top: "name of the class" });
    return {
      raw_output: text,
      top: Array.isArray(outputs["structured_output"]) ? (outputs["structured_output"][0] as Record<string, unknown>)["top"] : outputs["top"],
      parent_id: outputs["parent_id"],
      root_parent_id: outputs["root_parent_id"],
      image: outputs["image"],
      prediction_type: "classification",
    };
  },
});
