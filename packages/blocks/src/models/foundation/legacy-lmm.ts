/**
 * What the first-generation LMM blocks (open_ai@v1, lmm@v1, lmm_for_classification@v1) share with
 * Roboflow: the user's prompt followed by the JSON fields asked for, the outputs (the image's ids
 * and size, the raw text, the fields read from its JSON), and how the fields are read — from each
 * ```json fence, or the whole text without one; a field the answer lacks, or an answer that is no
 * JSON object, gives "not_detected"; several fences give a list of dictionaries.
 */
import type { BlockOutputs, OutputSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";

export const NOT_DETECTED = "not_detected";

export const LEGACY_LMM_OUTPUTS: readonly OutputSpec[] = [
  { name: "parent_id", kinds: ["parent_id"] },
  { name: "root_parent_id", kinds: ["parent_id"] },
  { name: "image", kinds: ["image_metadata"] },
  { name: "structured_output", kinds: ["dictionary"] },
  { name: "raw_output", kinds: ["string"] },
];

/** One output per key of the step's JSON format (json_output_format, json_output). */
export function jsonFormatOutputs(format: unknown): OutputSpec[] {
  return format && typeof format === "object" && !Array.isArray(format) ? Object.keys(format).map((name) => ({ name, kinds: ["*"] })) : [];
}

export function legacyPrompt(prompt: string, format: Readonly<Record<string, string>> | null): string {
  return format ? `${prompt}\n\nAnswer with JSON holding these fields:\n${JSON.stringify(format, null, 4)}` : prompt;
}

export function legacyLmmOutputs(image: WorkflowImage, text: string, format: Readonly<Record<string, string>> | null): BlockOutputs {
  const structured = format ? parseLegacyJsonOutput(text, Object.keys(format)) : {};
  return {
    parent_id: image.lineage.parentId,
    root_parent_id: image.lineage.rootParentId,
    image: { width: image.width, height: image.height },
    structured_output: structured,
    raw_output: text,
    ...(Array.isArray(structured) ? {} : structured),
  };
}

const JSON_FENCES = /```json\n([\s\S]*?)\n```/g;

export function parseLegacyJsonOutput(text: string, keys: readonly string[]): Record<string, unknown> | Record<string, unknown>[] {
  const fences = [...text.matchAll(JSON_FENCES)].map((match) => match[1]!);
  if (fences.length === 0) return fieldsOf(text, keys);
  const parsed = fences.map((fence) => fieldsOf(fence, keys));
  return parsed.length > 1 ? parsed : parsed[0]!;
}

function fieldsOf(content: string, keys: readonly string[]): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    data = undefined;
  }
  const found = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  return Object.fromEntries(keys.map((key) => [key, found && key in found ? found[key] : NOT_DETECTED]));
}
