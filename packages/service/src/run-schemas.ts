/**
 * The JSON Schemas of cvflow's run routes (use-cases/runs.ts), as OpenAPI components beside
 * schemas.ts's (openapi.ts puts both in the document). The record's fields are @cvflow/wire's RunRecord: `obj<RunRecord>` takes exactly
 * its fields, so a field added there fails typechecking here until it is described.
 */
import type * as Wire from "@cvflow/wire";
import type { Schema } from "./openapi-types.js";
import { obj, ref, str } from "./schemas.js";

const time = (description?: string): Schema => ({ type: "string", format: "date-time", ...(description ? { description } : {}) });
const int = (description?: string): Schema => (description ? { type: "integer", description } : { type: "integer" });

const RUN_STATUS: Schema = { type: "string", enum: ["queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out"] };
const OPEN_OBJECT: Schema = { type: "object", additionalProperties: true };

/** What an async run request adds to a sync run's body. */
const ASYNC_OPTIONS: Record<string, Schema> = {
  inputs: { type: "object", additionalProperties: true, description: "Runtime inputs by name, as for a sync run." },
  excluded_fields: { type: "array", items: { type: "string" }, description: "Outputs to leave out of the record." },
  disable_sinks: { type: "boolean", default: false, description: "Every sink step of the run (and of its retries) sends nothing and says so in its outputs." },
  notification_url: str("Told of the run's end by a POST of its record, signed `X-Cvflow-Signature: sha256=<HMAC of the body>` with `X-Cvflow-Timestamp`; retried with backoff; each attempt is in `deliveries`."),
  limit_ms: { type: "integer", minimum: 1, description: "The run's limit (default 15 min, at most the deployment's maximum); past it the run ends `timed_out`." },
  api_key: str(),
};

export const RUN_COMPONENTS = {
  AsyncInlineRunRequest: obj({ specification: ref("WorkflowDefinition"), ...ASYNC_OPTIONS }, ["specification"]),
  AsyncSavedRunRequest: obj({
    workflow_version_id: str("Run this older version instead of the current one."),
    use_cache: { type: "boolean", default: true },
    ...ASYNC_OPTIONS,
  }),
  RunAnswer: obj({ answer: { description: "The value the waiting `wait_for_input` step takes; it must fit the run's `waitingFor.schema`." }, api_key: str() }, ["answer"]),
  RunError: obj<Wire.RunError>({ code: str(), message: str(), details: OPEN_OBJECT }, ["code", "message"]),
  RunRecord: obj<Wire.RunRecord>(
    {
      id: str(),
      taskId: str("Dify's task id (what its stop route takes)."),
      workspace: str("Who may see the run: keys of this workspace."),
      mode: { type: "string", enum: ["sync", "async"] },
      workflow: obj<Wire.WorkflowReference>({ workspace: str(), id: str(), versionId: str(), name: str("A saved workflow's id; `inline` otherwise.") }, ["name"]),
      startedBy: obj({ keyId: str(), user: str("Dify's `user`.") }),
      status: RUN_STATUS,
      inputsSummary: { type: "object", additionalProperties: { type: "string" }, description: "One line per input, never its bytes." },
      outputs: { type: "array", items: OPEN_OBJECT, description: "A succeeded run's outputs (GET /runs/{run_id})." },
      outputsKey: str("Internal: where large outputs are kept; never sent."),
      error: ref("RunError"),
      createdAt: time(),
      startedAt: time(),
      finishedAt: time(),
      elapsedMs: int(),
      totalSteps: int(),
      steps: {
        type: "array",
        items: obj<Wire.StepRecord>(
          {
            name: str(),
            block: str(),
            status: { type: "string", enum: ["pending", "running", "waiting", "succeeded", "failed", "skipped", "cancelled"] },
            attempts: int("How many times the step was started, over all attempts of the run."),
            attempt: int("The run attempt whose output this record describes (a retry keeps the steps it reuses)."),
            startedAt: time(),
            finishedAt: time(),
            durationMs: int(),
            elements: int(),
            skipped: int(),
            error: ref("RunError"),
          },
          ["name", "block", "status", "attempts"],
        ),
      },
      attempts: {
        type: "array",
        items: obj<Wire.RunAttempt>(
          { number: int(), startedAt: time(), finishedAt: time(), status: RUN_STATUS, reusedSteps: { type: "array", items: { type: "string" } } },
          ["number", "startedAt", "status", "reusedSteps"],
        ),
      },
      waitingFor: obj<Wire.InputRequest>(
        {
          step: str(),
          prompt: str(),
          schema: { ...OPEN_OBJECT, description: "JSON Schema of the answer." },
          data: { description: "What the step shows the person." },
          requestedAt: time(),
          expiresAt: time(),
          callbackId: str("Internal; never sent."),
        },
        ["step", "prompt", "schema", "requestedAt"],
      ),
      answers: { ...OPEN_OBJECT, description: "The answers given, by step name." },
      limitMs: int(),
      idempotencyKey: str("The SHA-256 of the request's Idempotency-Key."),
      notificationUrl: str(),
      deliveries: {
        type: "array",
        items: obj<Wire.WebhookDelivery>({ attempt: int(), at: time(), status: int(), error: str(), delivered: { type: "boolean" } }, ["attempt", "at", "delivered"]),
      },
      lastSequence: int("The sequence number of the last event in the run's log."),
      cancelRequestedAt: time(),
    },
    ["id", "taskId", "workspace", "mode", "workflow", "startedBy", "status", "inputsSummary", "createdAt", "totalSteps", "steps", "attempts", "limitMs", "deliveries", "lastSequence"],
  ),
  RunList: obj({ runs: { type: "array", items: ref("RunRecord") }, cursor: str("Pass as `cursor` for the next page; absent on the last one.") }, ["runs"]),
  RunEvent: obj(
    {
      type: { type: "string", enum: ["run_queued", "run_started", "step_started", "step_finished", "step_failed", "input_required", "input_received", "run_finished"] },
      runId: str(),
      sequence: int("1, 2, 3, … within the run: the SSE `id:`."),
      at: time(),
    },
    ["type", "runId", "sequence", "at"],
    { additionalProperties: true, description: "One event of a run's log; its other fields depend on its type (docs/runs.md)." },
  ),
  RunInputs: obj<Wire.RunInputs>(
    {
      id: str(),
      inputs: { type: "object", additionalProperties: true, description: "Input name → value as the run was given it; uploaded images as presigned GET URLs." },
      specification: { type: "object", additionalProperties: true, description: "An inline run's definition as it ran; absent for a saved workflow's run." },
    },
    ["id", "inputs"],
  ),
  DeletedRun: obj({ id: str(), deleted: { type: "boolean", const: true } }, ["id", "deleted"]),
} satisfies Record<string, Schema>;
