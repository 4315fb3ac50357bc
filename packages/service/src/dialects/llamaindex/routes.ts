/**
 * LlamaIndex's workflow-server routes (run-llama/llama-agents, their `WorkflowClient`), over
 * cvflow's runs: the exact paths their client calls. None takes a path of cvflow's own: their
 * `/workflows/{name}/run` has three segments where cvflow's inline run is `/workflows/run`, and
 * `/handlers`, `/events`, `/results` become reserved workspace names as every fixed route's first
 * segment does. An API key (Bearer) of the workspace whose saved workflows `{name}` names;
 * errors add their `{"detail": ...}` to cvflow's error body.
 */
import type { Scope } from "@cvflow/store";
import type { ServiceContext } from "../../context.js";
import { withDetail } from "../../error-body.js";
import type { OpenApiOperation } from "../../openapi-types.js";
import type { RouteSpec } from "../../route-spec.js";
import { workflowEventSchemas } from "./event-schemas.js";
import { streamEvents, sendEvent } from "./events.js";
import { cancelHandler, getHandler, getResult, listHandlers } from "./handlers.js";
import { EVENT_ENVELOPE, HANDLER, RUN_BODY, SEND_EVENT_BODY } from "./schemas.js";
import { listWorkflowNames, runAndWait, runNowait } from "./workflows.js";

const TAG = "llamaindex";
const key = (scope: Scope) => ({ kind: "key" as const, scopes: [scope] });
const IDEMPOTENCY_KEY = { "Idempotency-Key": { schema: { type: "string" }, description: "The same key and body give the same run (another body with it: 422)." } };

function route(method: RouteSpec["method"], path: string, scope: Scope, doc: Omit<OpenApiOperation, "tags">, handle: RouteSpec["handle"]): RouteSpec {
  return { method, path, access: key(scope), doc: { ...doc, tags: [TAG] }, handle, errorBody: withDetail };
}

export function llamaIndexRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    route(
      "GET",
      "/workflows",
      "workflow:read",
      { operationId: "llamaListWorkflows", summary: "LlamaIndex: the saved workflows of the API key's workspace, by id", responses: { 200: { description: "`{\"workflows\": [id, ...]}`.", schema: { type: "object", properties: { workflows: { type: "array", items: { type: "string" } } }, required: ["workflows"] } } } },
      (_request, principal) => listWorkflowNames(ctx, principal),
    ),
    route(
      "GET",
      "/workflows/{name}/schema",
      "workflow:read",
      {
        operationId: "llamaWorkflowSchema",
        summary: "LlamaIndex: the JSON Schemas of a saved workflow's start event (its inputs) and stop event (its outputs)",
        description: "`{start, stop}`: the start event's fields are the workflow's inputs, the stop event's `result` one object of its outputs per image. A workflow named `definition` is not reached here: `GET /workflows/definition/schema` is cvflow's grammar.",
        responses: { 200: { description: "`{start, stop}`.", schema: { type: "object", properties: { start: { type: "object" }, stop: { type: "object" } }, required: ["start", "stop"] } } },
      },
      (request, principal) => workflowEventSchemas(ctx, request, principal),
    ),
    route(
      "POST",
      "/workflows/{name}/run",
      "workflow:run",
      {
        operationId: "llamaRunWorkflow",
        summary: "LlamaIndex: run a saved workflow and wait for it",
        description: "Runs within the request's 20 s deadline, with a run record as every run has. 200 with the handler when it completed, 500 with the handler when it failed.",
        headers: IDEMPOTENCY_KEY,
        requestBody: { schema: RUN_BODY, required: false },
        responses: { 200: { description: "Completed.", schema: HANDLER } },
      },
      (request, principal) => runAndWait(ctx, request, principal),
    ),
    route(
      "POST",
      "/workflows/{name}/run-nowait",
      "workflow:run",
      {
        operationId: "llamaRunWorkflowNowait",
        summary: "LlamaIndex: start a saved workflow as an async run",
        headers: IDEMPOTENCY_KEY,
        requestBody: { schema: RUN_BODY, required: false },
        responses: { 200: { description: "The handler, `running`.", schema: HANDLER } },
      },
      (request, principal) => runNowait(ctx, request, principal),
    ),
    route(
      "GET",
      "/handlers",
      "workflow:read",
      {
        operationId: "llamaListHandlers",
        summary: "LlamaIndex: the runs of the API key's workspace, newest first",
        query: {
          status: { schema: { type: "string" }, description: "running, completed, failed or cancelled; repeat it for several." },
          workflow_name: { schema: { type: "string" }, description: "A workflow id; repeat it for several." },
          limit: { schema: { type: "integer", minimum: 1, maximum: 100, default: 100 }, description: "cvflow's addition: at most this many handlers." },
          cursor: { schema: { type: "string" }, description: "cvflow's addition: the `next_cursor` of the previous page." },
        },
        responses: { 200: { description: "`handlers`, and `next_cursor` when there are more.", schema: { type: "object", properties: { handlers: { type: "array", items: HANDLER }, next_cursor: { type: "string" } }, required: ["handlers"] } } },
      },
      (request, principal) => listHandlers(ctx, request, principal),
    ),
    route(
      "GET",
      "/handlers/{handler_id}",
      "workflow:read",
      { operationId: "llamaGetHandler", summary: "LlamaIndex: one run", description: "200 completed, 202 running (queued, running or waiting), 500 failed, timed out or cancelled; the body is the handler each time.", responses: { 200: { description: "Completed.", schema: HANDLER }, 202: { description: "Still running.", schema: HANDLER } } },
      (request, principal) => getHandler(ctx, request, principal),
    ),
    route(
      "GET",
      "/results/{handler_id}",
      "workflow:read",
      { operationId: "llamaGetResult", summary: "LlamaIndex (deprecated there): one run, `result` being the outputs", description: "As GET /handlers/{handler_id}, with the StopEvent's `result` (the outputs) as `result`.", responses: { 200: { description: "Completed.", schema: { type: "object", additionalProperties: true } }, 202: { description: "Still running.", schema: { type: "object", additionalProperties: true } } } },
      (request, principal) => getResult(ctx, request, principal),
    ),
    route(
      "GET",
      "/events/{handler_id}",
      "workflow:read",
      {
        operationId: "llamaStreamEvents",
        summary: "LlamaIndex: a run's events as SSE (or NDJSON with sse=false)",
        description: "Envelopes `{value, qualified_name, type, types}`; SSE `id:` is the run's sequence number and `Last-Event-ID` resumes after it; a `: heartbeat` comment every 15 s. Ends after the StopEvent (or WorkflowFailedEvent, WorkflowTimedOutEvent, WorkflowCancelledEvent). 204 when the run has finished and no event is after the cursor.",
        query: {
          sse: { schema: { type: "boolean", default: true }, description: "false: NDJSON." },
          after_sequence: { schema: { oneOf: [{ type: "integer" }, { type: "string", enum: ["now"] }], default: "now" }, description: "Events after this sequence number; -1 (or 0): from the first; now: only new ones." },
          include_internal: { schema: { type: "boolean", default: false }, description: "Also each step's start and end (StepStateChanged)." },
          include_qualified_name: { schema: { type: "boolean", default: true }, description: "false: `qualified_name` is null." },
        },
        responses: {
          200: { description: "The stream, each event an envelope.", schema: EVENT_ENVELOPE, mediaTypes: ["text/event-stream", "application/x-ndjson"] },
          204: { description: "Finished, and nothing after the cursor: no body.", schema: {}, mediaTypes: [] },
        },
      },
      (request, principal) => streamEvents(ctx, request, principal),
    ),
    route(
      "POST",
      "/events/{handler_id}",
      "workflow:run",
      {
        operationId: "llamaSendEvent",
        summary: "LlamaIndex: answer a run waiting for input with a HumanResponseEvent",
        description: "The run's `wait_for_input` step takes the event's value (or its `response` when the step's answer schema is not an object). 409 `run_not_waiting` when the run is not waiting; 400 `invalid_answer` when the answer misses the schema.",
        requestBody: { schema: SEND_EVENT_BODY, required: true },
        responses: { 200: { description: "`{\"status\": \"sent\"}`.", schema: { type: "object", properties: { status: { const: "sent" } }, required: ["status"] } } },
      },
      (request, principal) => sendEvent(ctx, request, principal),
    ),
    route(
      "POST",
      "/handlers/{handler_id}/cancel",
      "workflow:run",
      {
        operationId: "llamaCancelHandler",
        summary: "LlamaIndex: cancel a run (purge=true: delete it)",
        description: "Stops its steps within a second; the run becomes `cancelled` and its stream ends with a WorkflowCancelledEvent. A finished run is a 404 unless purged.",
        query: { purge: { schema: { type: "boolean", default: false }, description: "Also delete the run and its events." } },
        responses: { 200: { description: "`{\"status\": \"cancelled\"}` or `{\"status\": \"deleted\"}`.", schema: { type: "object", properties: { status: { enum: ["cancelled", "deleted"] } }, required: ["status"] } } },
      },
      (request, principal) => cancelHandler(ctx, request, principal),
    ),
  ];
}
