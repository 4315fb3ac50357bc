/**
 * OpenAI's two HTTP APIs as the OpenAI blocks call them, with plain JSON over the egress door
 * (the official SDK would bring its own HTTP stack, bypassing the SSRF rules and the run's signal):
 * - Chat Completions (`POST {base}/chat/completions`): open_ai v1-v3, lmm, and any
 *   OpenAI-compatible server (openai_compatible);
 * - Responses (`POST {base}/responses`): open_ai v4 and v5.
 * Each answers the model's text; an answer without text is provider_error, saying why.
 */
import type { BlockContext, JsonSchema } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";
import { endpoint } from "../../egress/egress.js";
import { providerFailed } from "../../errors.js";
import { callJsonApi } from "./llm/call-json-api.js";
import { dataUrl, type EncodedImage } from "./llm/encode-image.js";

export const OPENAI_BASE = "https://api.openai.com/v1";
export const OPENAI = "OpenAI";

export type ImageDetail = "auto" | "high" | "low";

export interface ChatRequest {
  /** Where to send it: `{base}/chat/completions`. */
  base: string;
  /** As messages name the provider. */
  provider: string;
  /** Absent: no authorization header (a local server that needs none). */
  key?: string;
  model: string;
  system?: string;
  /** The user's text; none when empty. */
  text: string;
  images: readonly EncodedImage[];
  detail?: ImageDetail;
  /** The token cap under the name the block's API version uses. */
  maxTokens?: { field: "max_tokens" | "max_completion_tokens"; value: number };
  temperature?: number | null;
  /** Further top-level fields, sent as given (openai_compatible's extra_body). */
  extra?: Readonly<Record<string, unknown>>;
}

/** The base URL of OpenAI's API: the deployment's CVFLOW_OPENAI_BASE_URL, else the official one. */
export function openAiBase(ctx: BlockContext): string {
  return endpoint(ctx, "openai", OPENAI_BASE);
}

export async function chatCompletion(ctx: BlockContext, request: ChatRequest): Promise<string> {
  const content: Record<string, unknown>[] = [];
  if (request.text) content.push({ type: "text", text: request.text });
  for (const image of request.images) {
    content.push({ type: "image_url", image_url: { url: dataUrl(image), ...(request.detail ? { detail: request.detail } : {}) } });
  }
  const messages = [...(request.system ? [{ role: "system", content: request.system }] : []), { role: "user", content }];
  const body = {
    ...request.extra,
    model: request.model,
    messages,
    ...(request.maxTokens ? { [request.maxTokens.field]: request.maxTokens.value } : {}),
    ...(request.temperature === undefined || request.temperature === null ? {} : { temperature: request.temperature }),
  };
  const answer = await callJsonApi(ctx, {
    provider: request.provider,
    url: `${request.base}/chat/completions`,
    headers: request.key ? { authorization: `Bearer ${request.key}` } : {},
    body,
    secrets: request.key ? [request.key] : [],
  });
  const choice = isRecord(answer) && Array.isArray(answer["choices"]) ? answer["choices"][0] : undefined;
  if (!isRecord(choice)) {
    const said = isRecord(answer) && isRecord(answer["error"]) ? String(answer["error"]["message"]) : "no choices";
    throw providerFailed("provider_error", `${request.provider} answered with no choices (${said})`, { provider: request.provider });
  }
  const message = choice["message"];
  const text = isRecord(message) ? message["content"] : undefined;
  if (typeof text !== "string") {
    throw providerFailed("provider_error", `${request.provider} answered with no text (finish_reason ${JSON.stringify(choice["finish_reason"] ?? null)})`, {
      provider: request.provider,
      finish_reason: choice["finish_reason"] ?? null,
    });
  }
  return text;
}

export interface ResponsesRequest {
  key: string;
  model: string;
  instructions?: string;
  text: string;
  image: EncodedImage;
  /** Omitted for v5's object-detection, as Roboflow sends it. */
  detail?: ImageDetail;
  /** v5's object-detection puts the image before the text. */
  imageFirst?: boolean;
  maxOutputTokens?: number | null;
  temperature?: number | null;
  reasoningEffort?: string;
  /** A JSON Schema the answer must follow (structured outputs). */
  schema?: { name: string; schema: JsonSchema };
}

export async function createResponse(ctx: BlockContext, request: ResponsesRequest): Promise<string> {
  const image = { type: "input_image", image_url: dataUrl(request.image), ...(request.detail ? { detail: request.detail } : {}) };
  const text = { type: "input_text", text: request.text };
  const body = {
    model: request.model,
    input: [{ role: "user", content: request.imageFirst ? [image, text] : [text, image] }],
    ...(request.instructions ? { instructions: request.instructions } : {}),
    ...(request.schema ? { text: { format: { type: "json_schema", name: request.schema.name, strict: true, schema: request.schema.schema } } } : {}),
    ...(request.maxOutputTokens === undefined || request.maxOutputTokens === null ? {} : { max_output_tokens: request.maxOutputTokens }),
    ...(request.temperature === undefined || request.temperature === null ? {} : { temperature: request.temperature }),
    ...(request.reasoningEffort ? { reasoning: { effort: request.reasoningEffort } } : {}),
  };
  const answer = await callJsonApi(ctx, {
    provider: OPENAI,
    url: `${openAiBase(ctx)}/responses`,
    headers: { authorization: `Bearer ${request.key}` },
    body,
    secrets: [request.key],
  });
  return responseText(answer);
}

/** The text of a Responses answer (every output_text of its messages), or why there is none. */
export function responseText(answer: unknown): string {
  const fail = (why: string, details: Record<string, unknown> = {}) => providerFailed("provider_error", `OpenAI's response ${why}`, { provider: OPENAI, ...details });
  if (!isRecord(answer)) throw fail("is not a JSON object");
  const status = answer["status"];
  if (status === "failed") {
    const error = isRecord(answer["error"]) ? answer["error"] : {};
    throw fail(`failed: ${String(error["code"] ?? "unknown")}: ${String(error["message"] ?? "no message")}`, { status });
  }
  if (status === "cancelled") throw fail("was cancelled", { status });
  if (status === "incomplete") {
    const reason = isRecord(answer["incomplete_details"]) ? answer["incomplete_details"]["reason"] : undefined;
    throw reason === "max_output_tokens"
      ? fail("stopped at the max_tokens limit before the answer was complete: raise max_tokens", { status, reason })
      : fail(`is incomplete (${String(reason ?? "no reason given")})`, { status, reason });
  }
  if (status !== undefined && status !== "completed" && status !== "in_progress" && status !== "queued") throw fail(`has the unexpected status ${JSON.stringify(status)}`, { status });
  const texts: string[] = [];
  for (const item of Array.isArray(answer["output"]) ? answer["output"] : []) {
    if (!isRecord(item) || item["type"] !== "message" || !Array.isArray(item["content"])) continue;
    for (const part of item["content"]) if (isRecord(part) && part["type"] === "output_text" && typeof part["text"] === "string") texts.push(part["text"]);
  }
  const text = texts.join("");
  if (!text) throw fail("holds no text");
  return text;
}
