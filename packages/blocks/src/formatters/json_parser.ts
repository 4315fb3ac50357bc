/**
 * JSON Parser: reads a JSON object from a string — raw, or inside the first ```json fence as
 * language models tend to write it — and exposes the expected fields as outputs.
 */
import { defineBlock, type OutputSpec, type Problem } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";

const ERROR_STATUS = "error_status";
const JSON_FENCE = /```json([\s\S]*?)```/i;

interface JsonParserParams {
  [key: string]: unknown;
  raw_json: string;
  expected_fields: string[];
}

function expectedFieldsOf(step: Readonly<Record<string, unknown>>): string[] {
  const fields = step["expected_fields"];
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === "string") : [];
}

/** The parsed object; `{}` for JSON that is not an object (none of its fields exist); undefined for text that is not JSON. */
function parseObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(parsed) ? parsed : {};
}

export const jsonParserBlock = defineBlock<JsonParserParams>({
  manifest: {
    type: "roboflow_core/json_parser@v1",
    name: "JSON Parser",
    description: "Parse raw string into JSON.",
    family: "formatters",
    fields: {
      raw_json: {
        description: "A JSON string, raw or inside a ```json Markdown fence (only the first fence is read).",
        kinds: ["language_model_output"],
        schema: { type: "string" },
        required: true,
      },
      expected_fields: {
        description: "Top-level keys to extract; each becomes an output of the step.",
        schema: { type: "array", items: { type: "string" } },
        required: true,
      },
    },
    outputs: [{ name: ERROR_STATUS, kinds: ["boolean"] }],
    dynamicOutputs: (step) => expectedFieldsOf(step).map((name): OutputSpec => ({ name, kinds: ["*"] })),
  },
  validate(step): Problem[] {
    return expectedFieldsOf(step).includes(ERROR_STATUS)
      ? [{ property: "expected_fields", message: "`error_status` is a reserved output name and cannot be an expected field" }]
      : [];
  },
  run({ raw_json, expected_fields }) {
    const parsed = parseObject(JSON_FENCE.exec(raw_json)?.[1] ?? raw_json);
    const outputs: Record<string, unknown> = {};
    let error = parsed === undefined;
    for (const field of expected_fields) {
      const present = parsed !== undefined && Object.hasOwn(parsed, field);
      if (!present) error = true;
      outputs[field] = present ? parsed[field] : null;
    }
    outputs[ERROR_STATUS] = error;
    return outputs;
  },
});
