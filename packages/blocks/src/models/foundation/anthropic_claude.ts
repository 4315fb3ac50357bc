/**
 * Anthropic Claude (v1, v2, v3): each image, shrunk to fit max_image_size, is sent with the task's
 * prompt to Anthropic's Messages API (POST {base}/v1/messages, `x-api-key` and `anthropic-version`
 * headers); the answer's first text block is the step's `output`. Fields, defaults, model lists and
 * the checks across fields are Roboflow's; its managed key (`rf_key:...`, proxied through Roboflow)
 * does not exist here.
 */
import { defineBlock, type BlockContext, type BlockParams, type FieldSpec, type Problem } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { endpoint } from "../../egress/egress.js";
import { providerFailed } from "../../errors.js";
import {
  ALL_LLM_TASKS,
  apiKeyField,
  callJsonApi,
  CLASSES_FIELD,
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
  type TaskInputs,
} from "./llm/index.js";

const PROVIDER = "Anthropic";
const OFFICIAL_BASE = "https://api.anthropic.com";
/** The Messages API version every request names (Anthropic's current and only stable one). */
const ANTHROPIC_VERSION = "2023-06-01";

type ClaudeVersion = 1 | 2 | 3;

interface ClaudeModel {
  /** The name a definition gives. */
  id: string;
  /** The model id sent to Anthropic. */
  exact: string;
  /** The most tokens the model may write: v2/v3's max_tokens when unset. */
  maxOutput: number;
}

/** v2 and v3's list, Roboflow's order. */
const CLAUDE_MODELS: readonly ClaudeModel[] = [
  { id: "claude-fable-5", exact: "claude-fable-5", maxOutput: 128000 },
  { id: "claude-opus-4-7", exact: "claude-opus-4-7", maxOutput: 128000 },
  { id: "claude-opus-4-6", exact: "claude-opus-4-6", maxOutput: 128000 },
  { id: "claude-sonnet-4-6", exact: "claude-sonnet-4-6", maxOutput: 64000 },
  { id: "claude-sonnet-4-5", exact: "claude-sonnet-4-5-20250929", maxOutput: 64000 },
  { id: "claude-haiku-4-5", exact: "claude-haiku-4-5-20251001", maxOutput: 64000 },
  { id: "claude-opus-4-5", exact: "claude-opus-4-5-20251101", maxOutput: 64000 },
  { id: "claude-sonnet-4", exact: "claude-sonnet-4-20250514", maxOutput: 64000 },
  { id: "claude-opus-4-1", exact: "claude-opus-4-1-20250805", maxOutput: 32000 },
  { id: "claude-opus-4", exact: "claude-opus-4-20250514", maxOutput: 32000 },
];
const DEFAULT_MAX_OUTPUT = 64000;

/** v1's names and what each is sent as (Roboflow maps some retired 3.x names onto Sonnet 4.5). */
const V1_MODELS: Readonly<Record<string, string>> = {
  "claude-fable-5": "claude-fable-5",
  "claude-opus-4-7": "claude-opus-4-7",
  "claude-opus-4-6": "claude-opus-4-6",
  "claude-sonnet-4-6": "claude-sonnet-4-6",
  "claude-opus-4-5": "claude-opus-4-5-20251101",
  "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
  "claude-haiku-4-5": "claude-haiku-4-5-20251001",
  "claude-opus-4-1": "claude-opus-4-1-20250805",
  "claude-opus-4": "claude-opus-4-20250514",
  "claude-sonnet-4": "claude-sonnet-4-20250514",
  "claude-3-7-sonnet": "claude-3-7-sonnet-20250219",
  "claude-3-5-sonnet-v2": "claude-sonnet-4-5-20250929",
  "claude-3-5-haiku": "claude-3-5-haiku-20241022",
  "claude-3-5-sonnet": "claude-sonnet-4-5-20250929",
  "claude-3-opus": "claude-3-opus-20240229",
  "claude-3-haiku": "claude-3-haiku-20240307",
};

/** The model id Anthropic is asked for: the name's exact version (the field admits only listed names, from a selector too). */
function claudeModelId(version: ClaudeVersion, name: string): string {
  if (version === 1) return V1_MODELS[name] ?? name;
  return CLAUDE_MODELS.find((m) => m.id === name)?.exact ?? name;
}

/** v2/v3: max_tokens when unset, and the base of the thinking budget's default. */
function claudeMaxOutput(name: string): number {
  return CLAUDE_MODELS.find((m) => m.id === name)?.maxOutput ?? DEFAULT_MAX_OUTPUT;
}

/** The Messages API's request: one user turn holding the image and, when there is one, the text. */
interface ClaudeRequest {
  model: string;
  maxTokens: number;
  system?: string | undefined;
  /** Anthropic refuses an empty text block: none is sent when this is empty. */
  user: string;
  image: { base64: string; mediaType: string };
  temperature?: number | null | undefined;
  /** v2/v3 with extended_thinking: the tokens the model may think with (then no temperature). */
  thinkingBudget?: number | undefined;
}

function claudeRequestBody(request: ClaudeRequest): Record<string, unknown> {
  const content: Record<string, unknown>[] = [{ type: "image", source: { type: "base64", media_type: request.image.mediaType, data: request.image.base64 } }];
  if (request.user) content.push({ type: "text", text: request.user });
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    ...(request.system ? { system: request.system } : {}),
    messages: [{ role: "user", content }],
    ...(request.thinkingBudget !== undefined
      ? { thinking: { type: "enabled", budget_tokens: request.thinkingBudget } }
      : request.temperature !== null && request.temperature !== undefined
        ? { temperature: request.temperature }
        : {}),
  };
}

/**
 * The answer's first text block (thinking blocks skipped). v2/v3 (`checked`) refuse an answer cut
 * at max_tokens or stopped for another reason than its end, as Roboflow does; v1 takes the text as
 * it is. Returns the problem as a string when the answer is unusable.
 */
function claudeAnswerText(answer: unknown, checked: boolean): { text: string } | { problem: string } {
  const message = (answer ?? {}) as { stop_reason?: unknown; content?: unknown };
  if (checked) {
    if (message.stop_reason === "max_tokens") {
      return { problem: `${PROVIDER} stopped the answer at max_tokens; raise max_tokens to let it finish` };
    }
    if (message.stop_reason !== "end_turn" && message.stop_reason !== "stop_sequence") {
      return { problem: `${PROVIDER} stopped the answer with stop_reason ${JSON.stringify(message.stop_reason ?? null)}` };
    }
  }
  const blocks = Array.isArray(message.content) ? (message.content as { type?: unknown; text?: unknown }[]) : [];
  const text = blocks.find((b) => b?.type === "text" && typeof b.text === "string");
  return text ? { text: text.text as string } : { problem: `${PROVIDER}'s answer holds no text` };
}

/** v2/v3's checks on extended thinking (Roboflow's): no temperature with it, and a budget below max_tokens. */
function claudeThinkingProblems(step: Readonly<Record<string, unknown>>): Problem[] {
  if (step["extended_thinking"] !== true) return [];
  const problems: Problem[] = [];
  if (step["temperature"] !== undefined && step["temperature"] !== null) {
    problems.push({ property: "temperature", message: "temperature cannot be used when extended_thinking is enabled" });
  }
  const budget = step["thinking_budget_tokens"];
  const maxTokens = step["max_tokens"];
  if (typeof budget === "number" && typeof maxTokens === "number" && budget >= maxTokens) {
    problems.push({ property: "thinking_budget_tokens", message: `thinking_budget_tokens (${budget}) must be less than max_tokens (${maxTokens})` });
  }
  return problems;
}

function claudeModelField(version: ClaudeVersion): FieldSpec {
  const names = version === 1 ? Object.keys(V1_MODELS) : CLAUDE_MODELS.map((m) => m.id);
  return { description: `The Claude model: ${names.join(", ")}.`, kinds: ["string"], schema: { enum: names }, default: "claude-sonnet-4-5" };
}

function claudeFields(version: ClaudeVersion): Record<string, FieldSpec> {
  return {
    images: LLM_IMAGES,
    task_type: taskTypeField(ALL_LLM_TASKS),
    prompt: PROMPT_FIELD,
    output_structure: OUTPUT_STRUCTURE_FIELD,
    classes: CLASSES_FIELD,
    // v3 defaults to Roboflow's managed key, refused at run time with what to give instead.
    api_key: apiKeyField(PROVIDER, version === 3 ? "rf_key:account" : undefined),
    model_version: claudeModelField(version),
    ...(version === 1
      ? {}
      : {
          extended_thinking: {
            description: "Let the model think before it answers (deeper reasoning, more latency and cost); temperature cannot be set with it.",
            schema: { type: "boolean" },
            default: null,
          },
          thinking_budget_tokens: {
            description: "With extended_thinking: the tokens the model may think with, at least 1024 and less than max_tokens; half the model's output limit when unset.",
            schema: { type: "integer", minimum: 1024 },
            default: null,
          },
        }),
    max_tokens: version === 1 ? maxTokensField(450) : { ...maxTokensField(null), description: "Maximum number of tokens the model may generate; the model's output limit (32 000-128 000) when unset." },
    temperature: version === 1 ? TEMPERATURE_FIELD : { ...TEMPERATURE_FIELD, description: TEMPERATURE_FIELD.description!.replace("0.0-2.0", "0.0-1.0") + " Not with extended_thinking.", schema: { type: "number", minimum: 0, maximum: 1 } },
    max_image_size: {
      description: "The longest side of the image sent, in pixels: a larger image is shrunk to it, keeping its aspect ratio.",
      kinds: ["integer"],
      schema: { type: "integer", minimum: 1 },
      default: 1024,
    },
    max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
  };
}

/** One image's call: its JPEG (shrunk to max_image_size) and the task's prompt, Claude's text back. */
async function askClaude(version: ClaudeVersion, params: BlockParams, ctx: BlockContext): Promise<Record<string, unknown>> {
  const key = providerKey(params["api_key"], PROVIDER);
  const image = await encodeImage(params["images"] as WorkflowImage, { format: "jpeg", maxSide: params["max_image_size"] as number });
  const prompt = taskPrompt(params["task_type"] as LlmTask, params as TaskInputs, { detection: "normalized" });
  const name = params["model_version"] as string;
  const thinking = version > 1 && params["extended_thinking"] === true;
  const body = claudeRequestBody({
    model: claudeModelId(version, name),
    maxTokens: (params["max_tokens"] as number | null) ?? claudeMaxOutput(name),
    system: prompt.system,
    user: prompt.user,
    image,
    temperature: params["temperature"] as number | null,
    ...(thinking ? { thinkingBudget: (params["thinking_budget_tokens"] as number | null) ?? Math.floor(claudeMaxOutput(name) / 2) } : {}),
  });
  const answer = await callJsonApi(ctx, {
    provider: PROVIDER,
    url: `${endpoint(ctx, "anthropic", OFFICIAL_BASE)}/v1/messages`,
    headers: { "x-api-key": key, "anthropic-version": ANTHROPIC_VERSION },
    body,
    secrets: [key],
  });
  const read = claudeAnswerText(answer, version > 1);
  if ("problem" in read) throw providerFailed("provider_error", read.problem, { provider: PROVIDER });
  return { output: read.text, classes: params["classes"] ?? null };
}

function claudeBlock(version: ClaudeVersion) {
  return defineBlock({
    manifest: {
      type: `roboflow_core/anthropic_claude@v${version}`,
      name: "Anthropic Claude",
      description:
        "Ask Anthropic's Claude about each image: an open prompt, OCR, visual question answering, captions, classification, structured answers or object detection " +
        "(vlm_as_classifier / vlm_as_detector / json_parser read the answers). Calls Anthropic's Messages API with your Anthropic API key, one request per image" +
        (version === 3 ? "; Roboflow's managed key (rf_key:account, this version's default) does not exist here." : "."),
      family: "models",
      fields: claudeFields(version),
      outputs: LLM_OUTPUTS,
    },
    validate: (step) => [...taskFieldProblems(step, "unconstrained"), ...(version > 1 ? claudeThinkingProblems(step) : [])],
    run: (params, ctx) => askClaude(version, params, ctx),
  });
}

export const anthropicClaudeBlocks = [claudeBlock(1), claudeBlock(2), claudeBlock(3)];
