/**
 * Google Gemini (v1-v4): each image, as a JPEG at its own size, is sent with the task's prompt to
 * the Gemini API's generateContent (POST {base}/v1beta/models/{model}:generateContent, the key in
 * the `x-goog-api-key` header, never in the URL); the answer's first text part is the step's
 * `output`. Fields, defaults, model lists and generation settings are Roboflow's; v4 asks for
 * object detection in Gemini's own box_2d form with a response schema. Roboflow's managed key
 * (`rf_key:...`) does not exist here.
 */
import { defineBlock, WorkflowError, type BlockContext, type BlockParams, type FieldSpec } from "@cvflow/engine";
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

const PROVIDER = "Google Gemini";
const OFFICIAL_BASE = "https://generativelanguage.googleapis.com";
/** The tasks whose answer is a JSON document: Gemini is told to answer in JSON (response_mime_type). */
const JSON_TASKS: ReadonlySet<LlmTask> = new Set(["classification", "multi-label-classification", "structured-answering", "object-detection"]);

interface GeminiModel {
  id: string;
  /** Gemini 3 and newer: thinking_level applies and temperature is not sent. */
  thinkingLevel: boolean;
  /** v3/v4's google_code_execution applies. */
  codeExecution: boolean;
}

/** v3/v4's list, Roboflow's order; v2 lists those of them Roboflow listed then, v1 four. */
const GEMINI_MODELS: readonly GeminiModel[] = [
  { id: "gemini-3.7-flash", thinkingLevel: true, codeExecution: true },
  { id: "gemini-3.6-flash", thinkingLevel: true, codeExecution: true },
  { id: "gemini-3.5-flash", thinkingLevel: true, codeExecution: true },
  { id: "gemini-3.5-flash-lite", thinkingLevel: true, codeExecution: true },
  { id: "gemini-3.1-pro-preview", thinkingLevel: true, codeExecution: true },
  { id: "gemini-3.1-flash-lite", thinkingLevel: true, codeExecution: true },
  { id: "gemini-3-flash-preview", thinkingLevel: true, codeExecution: true },
  { id: "gemini-2.5-pro", thinkingLevel: false, codeExecution: false },
  { id: "gemini-2.5-flash", thinkingLevel: false, codeExecution: false },
  { id: "gemini-2.5-flash-lite", thinkingLevel: false, codeExecution: false },
];
const V2_MODELS = ["gemini-3.5-flash", "gemini-3.1-pro-preview", "gemini-3.1-flash-lite", "gemini-3-flash-preview", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"];
const V1_MODELS = ["gemini-3.1-pro-preview", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"];

/** Retired preview names every version still takes, sent as the model they became. */
const MODEL_ALIASES: Readonly<Record<string, string>> = {
  "gemini-2.5-pro-preview-06-05": "gemini-2.5-pro",
  "gemini-2.5-pro-preview-05-06": "gemini-2.5-pro",
  "gemini-2.5-pro-preview-03-25": "gemini-2.5-pro",
};

type GeminiVersion = 1 | 2 | 3 | 4;

function geminiModelField(version: GeminiVersion): FieldSpec {
  const names = version === 1 ? V1_MODELS : version === 2 ? V2_MODELS : GEMINI_MODELS.map((m) => m.id);
  return {
    description: "The Gemini model.",
    kinds: ["string"],
    schema: { enum: [...names, ...Object.keys(MODEL_ALIASES)] },
    default: version === 1 ? "gemini-2.5-flash" : "gemini-3.1-pro-preview",
  };
}

/** The model id sent: an alias's model, else the name (the field admits only listed names, from a selector too). */
function geminiModelId(name: string): string {
  return MODEL_ALIASES[name] ?? name;
}

const model = (id: string): GeminiModel | undefined => GEMINI_MODELS.find((m) => m.id === id);

interface GeminiSettings {
  version: GeminiVersion;
  /** The model id as sent (after aliases). */
  model: string;
  maxTokens: number | null;
  temperature: number | null;
  thinkingLevel: string | null;
  codeExecution: boolean;
  /** The tasks whose answer is a JSON document: Gemini is told to answer in JSON. */
  json: boolean;
  /** v4's object detection: the answer's shape, a list of {box_2d, label} whose labels are the classes. */
  responseSchema?: Record<string, unknown> | undefined;
}

/** generationConfig as Roboflow fills it for each version. */
function geminiGenerationConfig(settings: GeminiSettings): Record<string, unknown> {
  const config: Record<string, unknown> = { response_mime_type: settings.json ? "application/json" : "text/plain", candidate_count: 1 };
  if (settings.maxTokens !== null) config["max_output_tokens"] = settings.maxTokens;
  if (settings.version === 1) {
    if (settings.temperature !== null) config["temperature"] = settings.temperature;
    return config;
  }
  // Gemini 3 models take a thinking level instead of a temperature.
  const thinks = model(settings.model)?.thinkingLevel ?? false;
  if (settings.thinkingLevel !== null && thinks) config["thinking_config"] = { thinking_level: settings.thinkingLevel };
  if (settings.temperature !== null && !thinks) config["temperature"] = settings.temperature;
  if (settings.responseSchema) config["response_schema"] = settings.responseSchema;
  return config;
}

interface GeminiRequest {
  system?: string | undefined;
  user: string;
  image: { base64: string; mediaType: string };
  settings: GeminiSettings;
}

function geminiRequestBody(request: GeminiRequest): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [{ inline_data: { mime_type: request.image.mediaType, data: request.image.base64 } }];
  if (request.user) parts.push({ text: request.user });
  const { settings } = request;
  return {
    ...(request.system ? { systemInstruction: { parts: [{ text: request.system }] } } : {}),
    contents: [{ role: "user", parts }],
    generationConfig: geminiGenerationConfig(settings),
    ...(settings.codeExecution && settings.version >= 3 && model(settings.model)?.codeExecution ? { tools: [{ code_execution: {} }] } : {}),
  };
}

/**
 * v4's object detection answer in Gemini's own schema dialect (OpenAPI-style upper-case types, as
 * Roboflow sends it): a list of {box_2d: 4 integers 0-1000, label: one of the classes} — the
 * `yx-1000` form the prompt asks for, in which Gemini localises best.
 */
function geminiDetectionSchema(classes: readonly string[]): Record<string, unknown> {
  return {
    type: "ARRAY",
    items: {
      type: "OBJECT",
      properties: {
        box_2d: { type: "ARRAY", items: { type: "INTEGER", minimum: 0, maximum: 1000 }, minItems: 4, maxItems: 4 },
        label: { type: "STRING", enum: [...classes] },
      },
      required: ["box_2d", "label"],
      propertyOrdering: ["box_2d", "label"],
    },
  };
}

/**
 * The first candidate's first text part (code execution adds parts of other sorts before it).
 * v2+ (`checked`) refuse an answer cut at max_tokens or finished for another reason than its
 * end (safety, recitation, ...), as Roboflow does; v1 takes the first part as it is.
 */
function geminiAnswerText(answer: unknown, checked: boolean): { text: string } | { problem: string } {
  const response = (answer ?? {}) as { candidates?: unknown; promptFeedback?: { blockReason?: unknown } };
  const candidates = Array.isArray(response.candidates) ? (response.candidates as { finishReason?: unknown; content?: { parts?: unknown } }[]) : [];
  const candidate = candidates[0];
  if (!candidate) {
    const blocked = response.promptFeedback?.blockReason;
    return { problem: `${PROVIDER} gave no answer${blocked ? ` (prompt blocked: ${String(blocked)})` : ""}` };
  }
  const finish = candidate.finishReason ?? "FINISH_REASON_UNSPECIFIED";
  if (checked && finish === "MAX_TOKENS") return { problem: `${PROVIDER} stopped the answer at max_tokens; raise max_tokens to let it finish` };
  if (checked && finish !== "STOP" && finish !== "FINISH_REASON_UNSPECIFIED") return { problem: `${PROVIDER} stopped the answer with finishReason ${String(finish)}` };
  const parts = Array.isArray(candidate.content?.parts) ? (candidate.content.parts as { text?: unknown }[]) : [];
  const part = checked ? parts.find((p) => typeof p?.text === "string") : parts[0];
  return typeof part?.text === "string" ? { text: part.text } : { problem: `${PROVIDER}'s answer holds no text` };
}

function geminiFields(version: GeminiVersion): Record<string, FieldSpec> {
  return {
    images: LLM_IMAGES,
    task_type: taskTypeField(ALL_LLM_TASKS),
    prompt: PROMPT_FIELD,
    output_structure: OUTPUT_STRUCTURE_FIELD,
    classes: CLASSES_FIELD,
    // v3/v4 default to Roboflow's managed key, refused at run time with what to give instead.
    api_key: apiKeyField("Google AI (Gemini)", version >= 3 ? "rf_key:account" : undefined),
    model_version: geminiModelField(version),
    ...(version === 1
      ? {}
      : {
          thinking_level: {
            description: 'How deeply Gemini 3 and newer models reason: "low" for speed and cost, "high" for depth; the API\'s default for the model when unset. Ignored by older models.',
            kinds: ["string"],
            schema: { enum: ["low", "high"] },
            default: null,
          },
        }),
    temperature: { ...TEMPERATURE_FIELD, description: `${TEMPERATURE_FIELD.description!}${version === 1 ? "" : " Not sent to Gemini 3 and newer models, which take thinking_level instead."}` },
    max_tokens: maxTokensField(version === 1 ? 450 : null),
    ...(version >= 3
      ? {
          google_code_execution: {
            description: "Let Gemini 3 and newer models run code they write while answering (Gemini's native code execution); ignored by older models.",
            kinds: ["boolean"],
            schema: { type: "boolean" },
            default: false,
          },
        }
      : {}),
    max_concurrent_requests: MAX_CONCURRENT_REQUESTS_FIELD,
  };
}

/** Gemini answers a refused key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID), not 401: reported as the refused key it is. */
const REFUSED_KEY = /please pass a valid api key/i;

/** One image's call: its JPEG as it is and the task's prompt, Gemini's text back. */
async function askGemini(version: GeminiVersion, params: BlockParams, ctx: BlockContext): Promise<Record<string, unknown>> {
  const key = providerKey(params["api_key"], PROVIDER);
  const image = await encodeImage(params["images"] as WorkflowImage, { format: "jpeg" });
  const task = params["task_type"] as LlmTask;
  const nativeBoxes = version === 4 && task === "object-detection";
  const prompt = taskPrompt(task, params as TaskInputs, { detection: nativeBoxes ? "yx-1000" : "normalized" });
  const model = geminiModelId(params["model_version"] as string);
  const body = geminiRequestBody({
    system: prompt.system,
    user: prompt.user,
    image,
    settings: {
      version,
      model,
      maxTokens: (params["max_tokens"] as number | null) ?? null,
      temperature: (params["temperature"] as number | null) ?? null,
      thinkingLevel: (params["thinking_level"] as string | null | undefined) ?? null,
      codeExecution: params["google_code_execution"] === true,
      json: JSON_TASKS.has(task),
      responseSchema: nativeBoxes ? geminiDetectionSchema((params["classes"] as string[] | null) ?? []) : undefined,
    },
  });
  let answer: unknown;
  try {
    answer = await callJsonApi(ctx, {
      provider: PROVIDER,
      // The model name is one path segment: a selector's value cannot reach another endpoint.
      url: `${endpoint(ctx, "gemini", OFFICIAL_BASE)}/v1beta/models/${encodeURIComponent(model)}:generateContent`,
      headers: { "x-goog-api-key": key },
      body,
      secrets: [key],
    });
  } catch (error) {
    if (error instanceof WorkflowError && error.code === "provider_error" && error.details["status"] === 400 && REFUSED_KEY.test(String(error.details["provider_message"]))) {
      throw providerFailed("provider_auth_failed", `${PROVIDER} refused the API key given (400): ${String(error.details["provider_message"])}`, error.details);
    }
    throw error;
  }
  const read = geminiAnswerText(answer, version > 1);
  if ("problem" in read) throw providerFailed("provider_error", read.problem, { provider: PROVIDER });
  return { output: read.text, classes: params["classes"] ?? null };
}

function geminiBlock(version: GeminiVersion) {
  return defineBlock({
    manifest: {
      type: `roboflow_core/google_gemini@v${version}`,
      name: "Google Gemini",
      description:
        "Ask Google's Gemini about each image: an open prompt, OCR, visual question answering, captions, classification, structured answers or object detection " +
        `(vlm_as_classifier / vlm_as_detector / json_parser read the answers${version === 4 ? "; detections come as Gemini's box_2d list, 0-1000" : ""}). ` +
        "Calls the Gemini API's generateContent (v1beta) with your Google AI API key, one request per image" +
        (version >= 3 ? "; Roboflow's managed key (rf_key:account, this version's default) does not exist here." : "."),
      family: "models",
      fields: geminiFields(version),
      outputs: LLM_OUTPUTS,
    },
    validate: (step) => taskFieldProblems(step, "unconstrained"),
    run: (params, ctx) => askGemini(version, params, ctx),
  });
}

export const googleGeminiBlocks = [geminiBlock(1), geminiBlock(2), geminiBlock(3), geminiBlock(4)];
