/**
 * The body of `POST /workflows/{name}/run` and `/run-nowait` as their client sends it:
 * `{"start_event": ..., "context": {}, "handler_id"?, "kwargs"?}`. The start event's fields are
 * the workflow's inputs, by name: `{"image": {"type": "base64", "value": "..."}, "confidence": 0.4}`.
 * It comes bare (`run` sends `StartEvent(...).model_dump()`) or as an envelope (`run-nowait` sends
 * `{"type": "StartEvent", "value": {...}}`); as their server tells them apart, a dict with `value`,
 * or with both `type` and `qualified_name`, is an envelope. Without `start_event`, `kwargs` are
 * the fields.
 */
import { isRecord } from "@cvflow/wire";
import { bodyObject } from "../../body.js";
import { invalidRequest } from "../../errors.js";

export function startEventInputs(body: unknown): Record<string, unknown> {
  const fields = bodyObject(body);
  const context = fields["context"];
  if (isRecord(context) ? Object.keys(context).length > 0 : context !== undefined && context !== null) {
    throw invalidRequest("A workflow context cannot be restored here: each run starts fresh (send `context` empty or leave it out)", { field: "context" });
  }
  if (fields["handler_id"] !== undefined && fields["handler_id"] !== null) {
    throw invalidRequest("`handler_id` cannot be chosen here: the server names each run, and a run is not continued from another's context", { field: "handler_id" });
  }
  const start = fields["start_event"] ?? fields["kwargs"] ?? {};
  const parsed = typeof start === "string" ? parseJson(start) : start;
  if (!isRecord(parsed)) throw invalidRequest("`start_event` must be a JSON object: the workflow's inputs by name, bare or as `{\"value\": {...}}`", { field: "start_event" });
  const isEnvelope = "value" in parsed || ("type" in parsed && "qualified_name" in parsed);
  if (!isEnvelope) return { ...parsed };
  const value = parsed["value"] ?? {};
  if (!isRecord(value)) throw invalidRequest("The start event's `value` must be a JSON object: the workflow's inputs by name", { field: "start_event.value" });
  return { ...value };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest("`start_event` is a string that is not JSON", { field: "start_event" });
  }
}
