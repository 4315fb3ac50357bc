/**
 * The answer a HumanResponseEvent carries to a `wait_for_input` step. Their client sends
 * `{"type": "ResponseEvent", "value": {...}}` (or the same as a JSON string, or with the legacy
 * `data` for `value`). The answer is the event's value, its fields: `{"keep": [0, 2]}` for a
 * step whose answer schema is an object. A step that asks for something else (a string, a
 * number, a list) takes the value's `response` field, LlamaIndex's own HumanResponseEvent idiom:
 * `HumanResponseEvent(response="yes")`.
 */
import { isRecord } from "@cvflow/wire";
import { invalidRequest } from "../../errors.js";

export function humanAnswer(event: unknown, schema: Record<string, unknown>): unknown {
  const parsed = typeof event === "string" ? parseJson(event) : event;
  if (!isRecord(parsed)) throw invalidRequest("`event` must be a JSON object (or its JSON string): `{\"type\": ..., \"value\": {...}}`", { field: "event" });
  // By presence, not `??`: a `null` value is an answer (a nullable schema's), not a missing one.
  const value = "value" in parsed ? parsed["value"] : "data" in parsed ? parsed["data"] : withoutMetadata(parsed);
  if (!isRecord(value)) return value;
  const type = schema["type"];
  const wantsObject = type === undefined || type === "object" || (Array.isArray(type) && type.includes("object"));
  return !wantsObject && "response" in value ? value["response"] : value;
}

/** A bare event: its fields without the envelope's. */
function withoutMetadata(event: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, qualified_name: _name, types: _types, ...fields } = event;
  return fields;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest("`event` is a string that is not JSON", { field: "event" });
  }
}
