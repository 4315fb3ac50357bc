/**
 * cvflow's own run routes (docs/runs.md) for the route table: async starts, the caller's runs,
 * a run's record and events, cancel, retry, answer, delete. Each takes an API key with
 * `workflow:run` (a run is visible only to keys of its workspace); the saved workflow's start
 * also reads the workflow (a public one may be run by any key).
 */
import type { Scope } from "@cvflow/store";
import type { ServiceContext } from "./context.js";
import type { RouteAccess } from "./http.js";
import type { OpenApiOperation } from "./openapi-types.js";
import type { RouteSpec } from "./route-spec.js";
import { ref } from "./schemas.js";
import { answerRun, cancelRun, deleteRun, getRun, listRuns, retryRun, runEvents, runInputs, startInlineRun, startSavedRun } from "./use-cases/runs.js";

const anyKey = (...scopes: Scope[]): RouteAccess => ({ kind: "key", scopes });
const runner = anyKey("workflow:run");

const IDEMPOTENCY_KEY = {
  "Idempotency-Key": {
    schema: { type: "string", maxLength: 255 },
    description: "The same key with the same request gives the same run (its record again); with another request, 422 `idempotency_key_reused`.",
  },
};
const ASYNC =
  "Answers 202 at once with the run's record (status `queued`) and `Location: /runs/{run_id}`; the run goes on without the caller. Follow it with `GET /runs/{run_id}/events`, or read it with `GET /runs/{run_id}`.";
const record = (description: string) => ({ description, schema: ref("RunRecord") });

export function runRoutes(ctx: ServiceContext): RouteSpec[] {
  const route = (method: RouteSpec["method"], path: string, doc: Omit<OpenApiOperation, "tags">, handle: RouteSpec["handle"], access = runner): RouteSpec => ({
    method,
    path,
    access,
    doc: { ...doc, tags: ["runs"] },
    handle,
  });
  return [
    route(
      "POST",
      "/workflows/runs",
      {
        operationId: "startInlineRun",
        summary: "Start an async run of a workflow given in the request",
        description: ASYNC,
        headers: IDEMPOTENCY_KEY,
        requestBody: { schema: ref("AsyncInlineRunRequest"), required: true },
        responses: { 202: record("The run, queued.") },
      },
      (request, principal) => startInlineRun(ctx, request, principal),
    ),
    route(
      "GET",
      "/runs",
      {
        operationId: "listRuns",
        summary: "The runs of the API key's workspace, newest first",
        query: {
          status: { schema: { type: "string" }, description: "Only runs in these statuses (comma-separated: queued, running, waiting, succeeded, failed, cancelled, timed_out)." },
          workflow: { schema: { type: "string" }, description: "Only runs of this workflow (a saved workflow's id, or `inline`)." },
          from: { schema: { type: "string" }, description: "Created at or after: ISO 8601 or epoch milliseconds." },
          to: { schema: { type: "string" }, description: "Created at or before: ISO 8601 or epoch milliseconds." },
          limit: { schema: { type: "integer", minimum: 1, maximum: 100, default: 20 }, description: "Runs per page." },
          cursor: { schema: { type: "string" }, description: "The `cursor` of the previous page." },
        },
        responses: { 200: { description: "A page of runs (without their outputs).", schema: ref("RunList") } },
      },
      (request, principal) => listRuns(ctx, request, principal),
    ),
    route(
      "GET",
      "/runs/{run_id}",
      {
        operationId: "getRun",
        summary: "A run's record: status, steps, attempts, outputs once it has succeeded",
        responses: { 200: record("The run.") },
      },
      (request, principal) => getRun(ctx, request, principal),
    ),
    route(
      "GET",
      "/runs/{run_id}/inputs",
      {
        operationId: "getRunInputs",
        summary: "The inputs an async run was given, its images readable by a browser",
        description:
          "From the request the run was started with: parameters and base64 or URL images as given; uploads (`{\"type\": \"s3\"}` from `POST /uploads`) as `{\"type\": \"url\", \"value\": <presigned GET URL>}`, valid for an hour. A sync run keeps no request: 404 `run_inputs_not_kept` (its record's `inputsSummary` has a line per input).",
        responses: { 200: { description: "The run's inputs.", schema: ref("RunInputs") } },
      },
      (request, principal) => runInputs(ctx, request, principal),
    ),
    route(
      "GET",
      "/runs/{run_id}/events",
      {
        operationId: "runEvents",
        summary: "A run's events, as they come",
        description:
          "Server-Sent Events (default): `id:` the event's sequence number, `event:` its type, `data:` the event as JSON; `retry:` first and a comment line every 15 s while nothing happens. NDJSON with `format=ndjson`. From after `after` or the `Last-Event-ID` a reconnecting EventSource sends (the later of the two), so a reader that resumes gets every event exactly once; any number of readers. The stream ends after `run_finished` (or, on Lambda, before the function's time runs out: reconnect). `follow=false` sends what the log holds and ends. A followed stream needs an API function in RESPONSE_STREAM mode (501 `streaming_unavailable` otherwise).",
        query: {
          format: { schema: { type: "string", enum: ["sse", "ndjson"], default: "sse" }, description: "SSE or one JSON event per line." },
          after: { schema: { type: "integer", minimum: 0, default: 0 }, description: "Send the events after this sequence number." },
          follow: { schema: { type: "boolean", default: true }, description: "false: what is there now, then end." },
        },
        headers: { "Last-Event-ID": { schema: { type: "string" }, description: "The last sequence number read (an EventSource sends it when it reconnects)." } },
        responses: { 200: { description: "The events.", schema: ref("RunEvent"), mediaTypes: ["text/event-stream", "application/x-ndjson"] } },
      },
      (request, principal) => runEvents(ctx, request, principal),
    ),
    route(
      "POST",
      "/runs/{run_id}/cancel",
      {
        operationId: "cancelRun",
        summary: "Stop a run",
        description: "Its steps stop within a second and the record says `cancelled`. A finished run is answered as it is.",
        responses: { 200: record("The run, cancelled (or as it finished).") },
      },
      (request, principal) => cancelRun(ctx, request, principal),
    ),
    route(
      "POST",
      "/runs/{run_id}/retry",
      {
        operationId: "retryRun",
        summary: "Run a failed, cancelled or timed-out async run again from the steps that did not succeed",
        description: "A new attempt (in `attempts`); the steps that succeeded are not run again: their checkpointed outputs are reused and their records kept.",
        responses: { 202: record("The run, queued again.") },
      },
      (request, principal) => retryRun(ctx, request, principal),
    ),
    route(
      "POST",
      "/runs/{run_id}/input",
      {
        operationId: "answerRun",
        summary: "Answer the run's waiting `wait_for_input` step",
        description: "The answer must fit the schema in the run's `waitingFor.schema` (400 `invalid_answer` names where it does not). The run continues with it as the step's output.",
        requestBody: { schema: ref("RunAnswer"), required: true },
        responses: { 200: record("The run, running again.") },
      },
      (request, principal) => answerRun(ctx, request, principal),
    ),
    route(
      "DELETE",
      "/runs/{run_id}",
      {
        operationId: "deleteRun",
        summary: "Delete a run: its record, events and stored outputs (a run still going is cancelled first)",
        responses: { 200: { description: "Deleted.", schema: ref("DeletedRun") } },
      },
      (request, principal) => deleteRun(ctx, request, principal),
    ),
  ];
}

/** The saved workflow's async start: beside its sync run route, as `/{workspace}/workflows/{workflow_id}/runs`. */
export function savedRunRoute(ctx: ServiceContext): RouteSpec {
  return {
    method: "POST",
    path: "/{workspace}/workflows/{workflow_id}/runs",
    access: { kind: "workflow", scope: "workflow:run", token: false },
    doc: {
      operationId: "startSavedRun",
      summary: "Start an async run of a saved workflow",
      description: `Needs an API key: \`workflow:run\` in the workflow's workspace, or any key when the workflow is public (the run is then its key's workspace's). ${ASYNC}`,
      tags: ["runs"],
      headers: IDEMPOTENCY_KEY,
      requestBody: { schema: ref("AsyncSavedRunRequest"), required: false },
      responses: { 202: record("The run, queued.") },
    },
    handle: (request, principal) => startSavedRun(ctx, request, principal),
  };
}
