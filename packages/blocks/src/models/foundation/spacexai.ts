/**
 * spacexai@v1: xAI's Grok vision models through xAI's Responses API (POST {base}/responses, the
 * OpenAI-compatible wire format Roboflow calls with the OpenAI SDK): the task's system text as
 * `instructions`, the user's text and the image as `input`, `store: false` (nothing kept at xAI).
 * Images go as JPEG at their own size; for object detection as lossless PNG with detail "high",
 * the image before the text, asking boxes in percent (vlm_as_detector@v2, model_type "spacexai") —
 * how Roboflow benchmarked Grok 4.5/4.6.
 */
import { defineBlock, WorkflowError, type BlockContext, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { isRecord } from "@cvflow/wire";
import { endpoint } from "../../egress/egress.js";
import { providerFailed } from "../../errors.js";
import { groundingPrompt } from "./grounding-prompts.js";
import {
  ALL_LLM_TASKS,
  apiKeyField,
  callJsonApi,
  CLASSES_FIELD,
  dataUrl,
  encodeImage,
  LLM_IMAGES,
  LLM_OUTPUTS,
  MAX_CONCURRENT_REQUESTS_FIELD,
  maxTokensField,
  OUTPUT_STRUCTURE_FIELD,
  PROMPT_FIELD,
  providerKey,
  taskFieldProblems,
  taskPrompt,
  taskTypeField,
  TEMPERATURE_FIELD,
  type LlmTask,
} from "./llm/index.js";
import { refusesReasoning } from "./openrouter-chat.js";
import { modelVersionField, slugOf, taskInputs } from "./openrouter-fields.js";

export const XAI_BASE = "https://api.x.ai/v1";

/** Roboflow lists the model ids themselves, with names for display. */
const GROK_MODELS = { "grok-4.6": "grok-4.6", "grok-4.5": "grok-4.5" };

const REASONING_EFFORT: FieldSpec = {
  description: 'Reasoning effort sent as `reasoning: {"effort": ...}` ("low" or "high"); the model\'s default when unset. A model that refuses it is asked again without it.',
  kinds: ["string"],
  schema: { enum: ["low", "high"] },
  default: null,
};

/** The Responses API body for one image. */
async function responsesBody(params: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const task = params["task_type"] as LlmTask;
  const inputs = taskInputs(params);
  let instructions: string | undefined;
  let content: unknown[];
  if (task === "object-detection") {
    const image = await encodeImage(params["images"] as WorkflowImage, { format: "png" });
    content = [
      { type: "input_image", image_url: dataUrl(image), detail: "high" },
      { type: "input_text", text: groundingPrompt("spacexai", inputs.classes ?? []) },
    ];
  } else {
    const image = await encodeImage(params["images"] as WorkflowImage, { format: "jpeg" });
    const prompt = taskPrompt(task, inputs);
    instructions = prompt.system;
    content = [...(prompt.user ? [{ type: "input_text", text: prompt.user }] : []), { type: "input_image", image_url: dataUrl(image), detail: "auto" }];
  }
  const maxTokens = params["max_tokens"];
  const temperature = params["temperature"];
  const effort = params["reasoning_effort"];
  return {
    model: slugOf(GROK_MODELS, params["model_version"]),
    input: [{ role: "user", content }],
    // Nothing is read back later, and xAI refuses to store answers past its size limit.
    store: false,
    ...(instructions ? { instructions } : {}),
    ...(typeof maxTokens === "number" ? { max_output_tokens: maxTokens } : {}),
    ...(typeof temperature === "number" ? { temperature } : {}),
    ...(typeof effort === "string" ? { reasoning: { effort } } : {}),
  };
}

async function callXai(ctx: BlockContext, key: string, body: Record<string, unknown>): Promise<unknown> {
  const call = (sent: Record<string, unknown>) =>
    callJsonApi(ctx, { provider: "xAI", url: `${endpoint(ctx, "xai", XAI_BASE)}/responses`, headers: { authorization: `Bearer ${key}` }, body: sent, secrets: [key] });
  try {
    return await call(body);
  } catch (error) {
    if (!("reasoning" in body) || !(error instanceof WorkflowError) || !refusesReasoning(error)) throw error;
    const { reasoning: _dropped, ...without } = body;
    return call(without);
  }
}

function failed(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return providerFailed("provider_error", message, { provider: "xAI", ...details });
}

/** The answer's text: every output_text of its message items, joined; a response that did not complete says why. */
export function responsesText(answer: unknown): string {
  if (!isRecord(answer)) throw failed("xAI answered with something that is not a response object");
  const status = answer["status"];
  if (status === "failed") {
    const error = isRecord(answer["error"]) ? answer["error"] : {};
    throw failed(`xAI reports the request failed: ${String(error["code"] ?? "unknown")}: ${String(error["message"] ?? "no message")}`.slice(0, 600), { status_text: status });
  }
  if (status === "cancelled") throw failed("xAI reports the request was cancelled", { status_text: status });
  if (status === "incomplete") {
    const reason = isRecord(answer["incomplete_details"]) ? answer["incomplete_details"]["reason"] : undefined;
    throw failed(
      reason === "max_output_tokens"
        ? "xAI stopped at the max_tokens limit before the answer was complete: raise max_tokens"
        : `xAI returned an incomplete response (${String(reason ?? "no reason given")})`,
      { status_text: status },
    );
  }
  if (status !== undefined && status !== null && !["completed", "in_progress", "queued"].includes(String(status))) {
    throw failed(`xAI returned an unexpected status ${JSON.stringify(status)}`, { status_text: status });
  }
  const texts: string[] = [];
  for (const item of Array.isArray(answer["output"]) ? answer["output"] : []) {
    if (!isRecord(item) || item["type"] !== "message" || !Array.isArray(item["content"])) continue;
    for (const part of item["content"]) if (isRecord(part) && part["type"] === "output_text" && typeof part["text"] === "string") texts.push(part["text"]);
  }
  const text = texts.join("");
  if (!text) throw failed("xAI's response holds no text");
  return text;
}

export const spacexAiBlock = defineBlock({
  manifest: {
    type: "roboflow_core/spacexai@v1",
    name: "SpaceXAI",
    description:
      'Ask xAI\'s Grok models (grok-4.6, grok-4.5) about images, through xAI\'s Responses API (billed by xAI; nothing stored there). Needs your xAI API key (Roboflow\'s managed key "rf_key:account" does not exist in cvflow). Object detection answers in percent boxes: parse with vlm_as_detector@v2, model_type "spacexai".',
    family: "models",
    fields: {
      images: LLM_IMAGES,
      task_type: taskTypeField(ALL_LLM_TASKS),
      prompt: { ...PROMPT_FIELD, description: 'Text prompt to the Grok model; needed by the "unconstrained" and "visual-question-answering" tasks.' },
      output_structure: OUTPUT_STRUCTURE_FIELD,
      classes: CLASSES_FIELD,
      api_key: apiKeyField("xAI"),
      model_version: modelVersionField(GROK_MODELS, "grok-4.6"),
      reasoning_effort: REASONING_EFFORT,
      max_tokens: { ...maxTokensField(null, 16), description: "Maximum number of tokens the model may generate (at least 16); the model's own limit when unset." },
      temperature: TEMPERATURE_FIELD,
      max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
    },
    outputs: LLM_OUTPUTS,
  },
  validate: (step) => taskFieldProblems(step, "unconstrained"),
  async run(params, ctx) {
    const key = providerKey(params["api_key"], "xAI");
    const answer = await callXai(ctx, key, await responsesBody(params));
    return { output: responsesText(answer), classes: params["classes"] ?? null };
  },
});
