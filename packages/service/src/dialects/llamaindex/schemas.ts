/** The JSON Schemas of LlamaIndex's bodies (their HandlerData, event envelope), as the routes' OpenAPI entries show them. */
import type { Schema } from "../../openapi-types.js";

const dateTime = (nullable: boolean): Schema => (nullable ? { type: ["string", "null"], format: "date-time" } : { type: "string", format: "date-time" });

export const EVENT_ENVELOPE: Schema = {
  type: "object",
  description: "Their EventEnvelopeWithMetadata: `type` the event's class (StopEvent, InputRequiredEvent, StepStateChanged, WorkflowCancelledEvent, ...), `types` its Event superclasses.",
  properties: {
    value: { type: "object", additionalProperties: true },
    qualified_name: { type: ["string", "null"] },
    type: { type: "string" },
    types: { type: ["array", "null"], items: { type: "string" } },
  },
  required: ["value", "qualified_name", "type", "types"],
};

export const HANDLER: Schema = {
  type: "object",
  description: "Their HandlerData: a run as LlamaIndex's server shows it (`handler_id` and `run_id` are the run's id).",
  properties: {
    handler_id: { type: "string" },
    workflow_name: { type: "string", description: "The saved workflow's id." },
    run_id: { type: ["string", "null"] },
    status: { type: "string", enum: ["running", "completed", "failed", "cancelled"], description: "queued, running and waiting runs are `running`; timed_out is `failed`." },
    started_at: dateTime(false),
    updated_at: dateTime(true),
    completed_at: dateTime(true),
    error: { type: ["string", "null"] },
    result: { oneOf: [EVENT_ENVELOPE, { type: "null" }], description: "The StopEvent, `value.result` the outputs; only when completed." },
  },
  required: ["handler_id", "workflow_name", "run_id", "status", "started_at", "updated_at", "completed_at", "error", "result"],
};

export const RUN_BODY: Schema = {
  type: "object",
  properties: {
    start_event: { type: "object", additionalProperties: true, description: "The workflow's inputs by name, bare or as `{\"type\": \"StartEvent\", \"value\": {...}}`." },
    kwargs: { type: "object", additionalProperties: true, description: "The inputs, when `start_event` is absent." },
    context: { type: "object", description: "Must be empty: a run is not restored from a context." },
  },
};

export const SEND_EVENT_BODY: Schema = {
  type: "object",
  properties: {
    event: { description: "The HumanResponseEvent, `{\"type\": ..., \"value\": {...}}` or its JSON string.", oneOf: [{ type: "object", additionalProperties: true }, { type: "string" }] },
    step: { type: "string", description: "The waiting step, when given." },
  },
  required: ["event"],
};
