/**
 * The manifest fields the OpenRouter-backed blocks share beyond the LLM core's (llm/fields.ts):
 * Roboflow's model dropdowns (labels mapped to OpenRouter slugs), privacy_level, its defaults for
 * max_tokens and temperature, and the reasoning models' `thinking` output.
 */
import type { FieldSpec, OutputSpec } from "@cvflow/engine";
import { invalidField } from "../../errors.js";
import { maxTokensField, TEMPERATURE_FIELD, type TaskInputs } from "./llm/index.js";
import { PRIVACY_LEVELS } from "./openrouter-chat.js";

/** Roboflow's max_tokens (`gt=1`) and temperature defaults for these blocks. */
export const MAX_TOKENS_500 = maxTokensField(500, 2);
export const TEMPERATURE_0_1: FieldSpec = {
  ...TEMPERATURE_FIELD,
  description: 'Sampling temperature, 0.0-2.0: the higher, the more random ("creative") the answer.',
  default: 0.1,
};

export const PRIVACY_LEVEL_FIELD: FieldSpec = {
  description:
    'Which OpenRouter providers may serve the call: "allow" any (some may train on inputs), "deny" (default) only those that do not collect data, "zdr" only those that retain nothing (fewer providers; some models unavailable).',
  schema: { enum: PRIVACY_LEVELS },
  default: "deny",
};

/** A `model_version` dropdown of Roboflow's labels (or a selector to one). */
export function modelVersionField(models: Readonly<Record<string, string>>, defaultLabel: string): FieldSpec {
  return {
    description: `The model: ${Object.entries(models)
      .map(([label, slug]) => (label === slug ? `"${label}"` : `"${label}" (${slug})`))
      .join(", ")}.`,
    kinds: ["string"],
    schema: { enum: Object.keys(models) },
    default: defaultLabel,
  };
}

/** The slug of a dropdown label; a selector to another step's output may bring any string, so it is checked here. */
export function slugOf(models: Readonly<Record<string, string>>, label: unknown, field = "model_version"): string {
  const slug = typeof label === "string" && Object.hasOwn(models, label) ? models[label] : undefined;
  if (slug === undefined) throw invalidField(`${field}: ${JSON.stringify(label)} is not one of ${Object.keys(models).map((l) => `"${l}"`).join(", ")}`);
  return slug;
}

export function taskInputs(params: Readonly<Record<string, unknown>>): TaskInputs {
  return {
    prompt: params["prompt"] as string | null,
    classes: params["classes"] as string[] | null,
    output_structure: params["output_structure"] as Record<string, string> | null,
  };
}

/** Roboflow's default completion budget for the reasoning models (Muse, qwen_vlm@v2). */
export const REASONING_MAX_TOKENS = 2048;

/** Roboflow's `Optional[int]` max_tokens with a default: null given explicitly means that default. */
export function nullableMaxTokens(defaultValue: number): FieldSpec {
  const field = maxTokensField(defaultValue, 2);
  return { ...field, schema: { type: ["integer", "null"], minimum: 2 } };
}

export const THINKING_OUTPUT: OutputSpec = {
  name: "thinking",
  kinds: ["string"],
  description: "The model's reasoning when OpenRouter returns it, else an empty string.",
};
