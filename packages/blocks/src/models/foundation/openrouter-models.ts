/**
 * The OpenRouter-backed blocks that differ only in their model list and defaults (Roboflow's
 * llama_vision, kimi_openrouter, google_gemma, qwen3_5/3_6_openrouter and the generic openrouter):
 * one row each. The labels are Roboflow's dropdown values; each maps to an OpenRouter model slug.
 *
 * Two generations, as Roboflow has them:
 * - "own-key" (the v1 blocks, deprecated by Roboflow): `api_key` is required, no privacy filter.
 * - "passthrough" (v2 and openrouter@v1): `api_key` defaults to Roboflow's managed key (which
 *   does not exist here: a run given it fails, asking for an OpenRouter key) and `privacy_level`
 *   picks which OpenRouter providers may serve the request.
 */

export type OpenRouterGeneration = "own-key" | "passthrough";

export interface OpenRouterBlockRow {
  type: string;
  name: string;
  /** What it does, one sentence, for describe. */
  does: string;
  generation: OpenRouterGeneration;
  /** Dropdown label -> OpenRouter slug; absent: `model_id` takes any slug (openrouter@v1). */
  models?: Readonly<Record<string, string>>;
  defaultModel?: string;
  /** Roboflow's v1 Llama block predates object detection. */
  withoutDetection?: boolean;
  /** Roboflow marks it deprecated, naming what replaces it. */
  deprecated?: string;
  /** Subject of the prompt field's description: "Text prompt to the <model> model". */
  promptFor?: string;
}

const LLAMA_V1 = {
  "11B (Free) - OpenRouter": "meta-llama/llama-3.2-11b-vision-instruct:free",
  "11B (Regular) - OpenRouter": "meta-llama/llama-3.2-11b-vision-instruct",
  "90B (Free) - OpenRouter": "meta-llama/llama-3.2-90b-vision-instruct:free",
  "90B (Regular) - OpenRouter": "meta-llama/llama-3.2-90b-vision-instruct",
};
const KIMI = { "Kimi K2.5 - OpenRouter": "moonshotai/kimi-k2.5", "Kimi K2.6 - OpenRouter": "moonshotai/kimi-k2.6" };
const GEMMA = { "Gemma 4 31B - OpenRouter": "google/gemma-4-31b-it", "Gemma 4 26B A4B - OpenRouter": "google/gemma-4-26b-a4b-it" };
const QWEN_3_5 = {
  "Qwen 3.5 9B - OpenRouter": "qwen/qwen3.5-9b",
  "Qwen 3.5 27B - OpenRouter": "qwen/qwen3.5-27b",
  "Qwen 3.5 122B A10B - OpenRouter": "qwen/qwen3.5-122b-a10b",
  "Qwen 3.5 397B A17B - OpenRouter": "qwen/qwen3.5-397b-a17b",
  "Qwen 3.5 Flash 02-23 - OpenRouter": "qwen/qwen3.5-flash-02-23",
  "Qwen 3.5 Plus 20260420 - OpenRouter": "qwen/qwen3.5-plus-20260420",
};
const QWEN_3_6 = {
  "Qwen 3.6 27B - OpenRouter": "qwen/qwen3.6-27b",
  "Qwen 3.6 35B A3B - OpenRouter": "qwen/qwen3.6-35b-a3b",
  "Qwen 3.6 Flash - OpenRouter": "qwen/qwen3.6-flash",
  "Qwen 3.6 Plus - OpenRouter": "qwen/qwen3.6-plus",
  "Qwen 3.6 Max Preview - OpenRouter": "qwen/qwen3.6-max-preview",
};

export const OPENROUTER_BLOCKS: readonly OpenRouterBlockRow[] = [
  {
    type: "roboflow_core/openrouter@v1",
    name: "OpenRouter",
    does: "Ask any vision-language model OpenRouter serves, named by its slug (openai/gpt-4o-mini, qwen/qwen3.6-27b, ...), about images.",
    generation: "passthrough",
  },
  {
    type: "roboflow_core/llama_3_2_vision@v1",
    name: "Llama 3.2 Vision",
    does: "Ask Meta's Llama 3.2 Vision, served by OpenRouter, about images.",
    generation: "own-key",
    models: LLAMA_V1,
    defaultModel: "11B (Free) - OpenRouter",
    withoutDetection: true,
    deprecated: "Llama 3.2 Vision v2 (roboflow_core/llama_vision@v2)",
    promptFor: "Llama",
  },
  {
    type: "roboflow_core/llama_vision@v2",
    name: "Llama 3.2 Vision",
    does: "Ask Meta's Llama 3.2 Vision, served by OpenRouter, about images.",
    generation: "passthrough",
    models: { "11B - OpenRouter": "meta-llama/llama-3.2-11b-vision-instruct" },
    defaultModel: "11B - OpenRouter",
    promptFor: "Llama",
  },
  {
    type: "roboflow_core/kimi_openrouter@v1",
    name: "MoonshotAI Kimi",
    does: "Ask Moonshot AI's Kimi vision-language models, served by OpenRouter, about images.",
    generation: "own-key",
    models: KIMI,
    defaultModel: "Kimi K2.6 - OpenRouter",
    deprecated: "MoonshotAI Kimi v2 (roboflow_core/kimi_openrouter@v2)",
    promptFor: "Kimi",
  },
  {
    type: "roboflow_core/kimi_openrouter@v2",
    name: "MoonshotAI Kimi",
    does: "Ask Moonshot AI's Kimi vision-language models, served by OpenRouter, about images.",
    generation: "passthrough",
    models: KIMI,
    defaultModel: "Kimi K2.6 - OpenRouter",
    promptFor: "Kimi",
  },
  {
    type: "roboflow_core/google_gemma@v1",
    name: "Google Gemma API",
    does: "Ask Google's Gemma, served by OpenRouter, about images.",
    generation: "own-key",
    models: GEMMA,
    defaultModel: "Gemma 4 31B - OpenRouter",
    deprecated: "Google Gemma v2 (roboflow_core/google_gemma@v2)",
    promptFor: "Gemma",
  },
  {
    type: "roboflow_core/google_gemma@v2",
    name: "Google Gemma",
    does: "Ask Google's Gemma, served by OpenRouter, about images.",
    generation: "passthrough",
    models: GEMMA,
    defaultModel: "Gemma 4 31B - OpenRouter",
    promptFor: "Gemma",
  },
  {
    type: "roboflow_core/qwen3_5_openrouter@v1",
    name: "Qwen 3.5 API",
    does: "Ask Qwen 3.5 vision-language models, served by OpenRouter, about images.",
    generation: "own-key",
    models: QWEN_3_5,
    defaultModel: "Qwen 3.5 27B - OpenRouter",
    deprecated: "the unified Qwen block (roboflow_core/qwen_vlm@v1)",
    promptFor: "Qwen 3.5",
  },
  {
    type: "roboflow_core/qwen3_6_openrouter@v1",
    name: "Qwen 3.6 API",
    does: "Ask Qwen 3.6 vision-language models, served by OpenRouter, about images.",
    generation: "own-key",
    models: QWEN_3_6,
    defaultModel: "Qwen 3.6 35B A3B - OpenRouter",
    deprecated: "the unified Qwen block (roboflow_core/qwen_vlm@v1)",
    promptFor: "Qwen 3.6",
  },
];
