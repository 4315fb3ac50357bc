/**
 * One chat completion from OpenRouter (POST {base}/chat/completions, OpenAI's chat wire format
 * with OpenRouter's additions: `provider` routing for the privacy filter, `reasoning` for models
 * that think before answering and `message.reasoning` in the answer), as every OpenRouter-backed
 * block calls it. Roboflow calls the same endpoint with the OpenAI SDK when given the user's own key.
 */
import type { BlockContext } from "@cvflow/engine";
import { WorkflowError } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";
import { endpoint } from "../../egress/egress.js";
import { providerFailed } from "../../errors.js";
import type { WorkflowImage } from "@cvflow/vision";
import { callJsonApi, dataUrl, encodeImage, type EncodedImage, type TaskPrompt } from "./llm/index.js";

export const OPENROUTER_BASE = "https://openrouter.ai/api/v1";

export const PRIVACY_LEVELS = ["allow", "deny", "zdr"] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/** Roboflow's `privacy_level` choices (allow / deny / zdr), as OpenRouter's provider routing says them. */
export function providerRouting(level: PrivacyLevel): Record<string, unknown> | undefined {
  if (level === "deny") return { data_collection: "deny" };
  if (level === "zdr") return { data_collection: "deny", zdr: true };
  return undefined;
}

export interface ChatRequest {
  key: string;
  model: string;
  messages: unknown[];
  maxTokens: number;
  /** null: not sent, the provider's default applies. */
  temperature: number | null;
  /** undefined: no provider filter (own-key blocks, or privacy "allow"). */
  privacy?: PrivacyLevel;
  /** OpenRouter's reasoning config ({effort} or {enabled: false}); dropped once if the model refuses it. */
  reasoning?: Record<string, unknown>;
}

export interface ChatAnswer {
  content: string;
  /** `message.reasoning` when the model returned its reasoning, else "". */
  reasoning: string;
}

export async function openRouterChat(ctx: BlockContext, request: ChatRequest): Promise<ChatAnswer> {
  const provider = request.privacy ? providerRouting(request.privacy) : undefined;
  const body = {
    model: request.model,
    messages: request.messages,
    max_tokens: request.maxTokens,
    ...(request.temperature === null ? {} : { temperature: request.temperature }),
    ...(provider ? { provider } : {}),
    ...(request.reasoning ? { reasoning: request.reasoning } : {}),
  };
  const call = (sent: Record<string, unknown>) =>
    callJsonApi(ctx, {
      provider: "OpenRouter",
      url: `${endpoint(ctx, "openrouter", OPENROUTER_BASE)}/chat/completions`,
      headers: { authorization: `Bearer ${request.key}` },
      body: sent,
      secrets: [request.key],
    });
  let answer: unknown;
  try {
    answer = await call(body);
  } catch (error) {
    if (!request.reasoning || !refusesReasoning(error)) throw error;
    // As Roboflow: a model that rejects the reasoning config is asked once more without it.
    const { reasoning: _dropped, ...without } = body;
    answer = await call(without);
  }
  return chatAnswer(answer);
}

/** Words the providers' models use when refusing a reasoning config (Roboflow's list, from live calls, and xAI's "does not support"). */
const REASONING_REFUSALS = ["unsupported", "not supported", "does not support", "unknown", "invalid", "mandatory", "cannot be disabled"];

/**
 * A 4xx whose message says the reasoning config was refused (OpenRouter's models, xAI's Grok);
 * never a 5xx, a timeout or a connection failure, which a second, billed call would not mend.
 */
export function refusesReasoning(error: unknown): boolean {
  if (!(error instanceof WorkflowError) || error.code !== "provider_error") return false;
  const status = error.details["status"];
  if (typeof status !== "number" || status < 400 || status >= 500) return false;
  const said = String(error.details["provider_message"] ?? "").toLowerCase();
  return said.includes("reasoning") && REASONING_REFUSALS.some((word) => said.includes(word));
}

function chatAnswer(answer: unknown): ChatAnswer {
  const choices = isRecord(answer) && Array.isArray(answer["choices"]) ? answer["choices"] : [];
  const first: unknown = choices[0];
  if (!isRecord(first)) {
    const said = isRecord(answer) && isRecord(answer["error"]) ? answer["error"]["message"] : undefined;
    throw providerFailed("provider_error", `OpenRouter returned no completion${typeof said === "string" ? `: ${said.slice(0, 500)}` : ""}`, {
      provider: "OpenRouter",
    });
  }
  const message = isRecord(first["message"]) ? first["message"] : {};
  const content = message["content"];
  if (typeof content !== "string") {
    const hint =
      first["finish_reason"] === "length"
        ? ": the model spent max_tokens before answering (a reasoning model thinks first) — raise max_tokens or choose another model"
        : ": it may have answered with reasoning or tool calls only — try another prompt or model";
    throw providerFailed("provider_error", `OpenRouter's answer has no message content${hint}`, { provider: "OpenRouter", finish_reason: first["finish_reason"] ?? null });
  }
  const reasoning = message["reasoning"];
  return { content, reasoning: typeof reasoning === "string" ? reasoning : "" };
}

/** The chat messages of a task prompt: the system instruction, then the user's text and the image. */
export function chatMessages(prompt: TaskPrompt, image: EncodedImage): unknown[] {
  return [
    ...(prompt.system ? [{ role: "system", content: prompt.system }] : []),
    {
      role: "user",
      content: [
        ...(prompt.user ? [{ type: "text", text: prompt.user }] : []),
        { type: "image_url", image_url: { url: dataUrl(image) } },
      ],
    },
  ];
}

/**
 * One user message, the image first and then the instruction (system text folded in): how
 * Roboflow prompts the Muse models and Qwen in qwen_vlm@v2, from its benchmarks.
 */
export function imageFirstMessages(prompt: TaskPrompt, image: EncodedImage): unknown[] {
  const text = [prompt.system, prompt.user].filter((part) => part).join("\n\n");
  return [
    {
      role: "user",
      content: [
        { type: "image_url", image_url: { url: dataUrl(image) } },
        { type: "text", text },
      ],
    },
  ];
}

/**
 * Roboflow's cap on the base64 of an image for Qwen (qwen_vlm@v2) and Muse (meta_vlm): under the
 * 10 MiB data-URI limit of Alibaba's DashScope, which serves the Qwen models on OpenRouter.
 */
export const MAX_IMAGE_BASE64 = 9_500_000;

/** The image as JPEG, its long edge shrunk by a tenth at a time while its base64 exceeds `cap`. */
export async function encodeUnderCap(image: WorkflowImage, cap = MAX_IMAGE_BASE64): Promise<EncodedImage> {
  let encoded = await encodeImage(image, { format: "jpeg" });
  while (encoded.base64.length > cap && Math.max(encoded.width, encoded.height) > 1) {
    encoded = await encodeImage(image, { format: "jpeg", maxSide: Math.max(Math.floor(Math.max(encoded.width, encoded.height) * 0.9), 1) });
  }
  return encoded;
}
