/**
 * The JSON Schemas of request and response bodies, as OpenAPI components the route table refers to.
 * A response body's fields are @cvflow/wire's type (what the use cases answer and the SDK reads):
 * `obj<WireType>` takes exactly that type's fields, no more, no fewer.
 */
import type * as Wire from "@cvflow/wire";
import type { Schema } from "./openapi-types.js";

/** A reference to one of COMPONENTS (a test checks that every reference in the document resolves). */
export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

export const str = (description?: string): Schema => (description ? { type: "string", description } : { type: "string" });
export const obj = <T = Record<string, unknown>>(properties: { [K in keyof T]-?: Schema }, required: (keyof T & string)[] = [], extra: Schema = {}): Schema => ({
  type: "object",
  properties,
  required,
  ...extra,
});

const RUN_OPTIONS: Record<string, Schema> = {
  excluded_fields: { type: "array", items: { type: "string" }, description: "Outputs to leave out of the response." },
  enable_profiling: { type: "boolean", default: false, description: "Add a Chrome trace of the run as `profiler_trace`." },
  disable_sinks: { type: "boolean", default: false, description: "Every sink step sends nothing and says so in its outputs (Roboflow's `disable_sinks`)." },
  large_response: {
    type: "string",
    enum: ["offload", "fail"],
    default: "fail",
    description:
      "Should the response pass 6 MB: `offload` moves its images to S3 and sends `{\"type\": \"url\"}` presigned GETs instead (the `X-Cvflow-Offloaded-Images` header says how many); `fail` answers 413 `response_too_large` with its size. Same as the `X-Cvflow-Large-Response` header; when both are sent they must agree.",
  },
  api_key: str("The API key, when not sent as a Bearer token or query parameter."),
};

const INPUTS: Schema = {
  type: "object",
  description: "Runtime inputs by name: images as `ImageInput` (or a list of them for a batch), parameters as JSON values.",
  additionalProperties: true,
};

const SUMMARY_PROPERTIES: { [K in keyof Wire.WorkflowSummary]: Schema } = {
  id: str("Equals `url`: what Roboflow's clients send back as `id` (updateWorkflow, trash/restore)."),
  url: str("The workflow's name in routes, unique in its workspace."),
  name: str(),
  workspace: str(),
  public: { type: "boolean" },
  createdAt: { type: "string", format: "date-time" },
  updatedAt: { type: "string", format: "date-time" },
  versionId: str("The current version (an older version's read: that version)."),
};
const SUMMARY_REQUIRED = Object.keys(SUMMARY_PROPERTIES) as (keyof Wire.WorkflowSummary)[];

const CONFIG: Schema = {
  description: "The definition: the JSON string of `{\"specification\": …}`, that object itself, or a bare specification.",
  oneOf: [{ type: "string" }, { type: "object", additionalProperties: true }],
};

export const COMPONENTS = {
  Error: obj<Wire.ErrorBody>(
    {
      error: obj<Wire.ErrorEnvelope>(
        {
          code: str("Stable, machine-readable, e.g. `invalid_workflow`."),
          message: str("For people."),
          status: { type: "integer", description: "The HTTP status." },
          details: { type: "object", additionalProperties: true, description: "Compile errors list every problem in `errors` (code, message, pointer, step, property); 5xx errors carry `request_id`." },
        },
        ["code", "message", "status", "details"],
      ),
      message: str("The same text as `error.message`, where Roboflow's clients read it."),
      error_type: str("The same as `error.code` (a snake_case code, not a Python class name)."),
      inner_error_message: str("Only where there is an underlying cause to show: for a list of problems (`details.errors`), each with its pointer (the first ten, then how many more)."),
    },
    ["error", "message", "error_type"],
  ),
  WorkflowDefinition: {
    type: "object",
    description: "A workflow definition `{version, inputs, steps, outputs}`, bare or wrapped as `{\"specification\": …}`; its full schema is at `GET /workflows/definition/schema`.",
    additionalProperties: true,
  },
  ImageInput: obj(
    {
      type: { type: "string", enum: ["base64", "url", "s3"] },
      value: str("Base64 bytes, an https URL, or `s3://bucket/key` as returned by `POST /uploads`."),
    },
    ["type", "value"],
  ),
  InlineRunRequest: obj({ specification: ref("WorkflowDefinition"), inputs: INPUTS, ...RUN_OPTIONS }, ["specification"]),
  SavedRunRequest: obj({
    inputs: INPUTS,
    workflow_version_id: str("Run this saved version instead of the current one."),
    use_cache: { type: "boolean", default: true, description: "false: read the definition from storage again." },
    ...RUN_OPTIONS,
  }),
  RunResponse: obj<Wire.RunResponse>(
    {
      outputs: {
        type: "array",
        description: "One object per input image, output name to value. Images are `{\"type\": \"base64\", \"value\"}`, or `{\"type\": \"url\", \"value\": <presigned GET URL>}` where the response would pass 6 MB and the request asked for `large_response: \"offload\"`.",
        items: { type: "object", additionalProperties: true },
      },
      profiler_trace: { type: "array", description: "Chrome trace events.", items: { type: "object", additionalProperties: true } },
    },
    ["outputs"],
  ),
  ValidateResponse: obj<Wire.ValidateResponse>(
    {
      status: { type: "string", const: "ok" },
      warnings: { type: "array", items: { type: "object", additionalProperties: true }, description: "Problems that do not stop a run." },
    },
    ["status"],
  ),
  DescribeInterfaceRequest: obj({ specification: ref("WorkflowDefinition") }, ["specification"]),
  InterfaceDescription: obj<Wire.InterfaceDescription>(
    {
      inputs: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Input name to its kinds." },
      outputs: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Output name to its kinds." },
      typing_hints: { type: "object", additionalProperties: { type: "string" }, description: "Kind to the JSON type of its values." },
      kinds_schemas: { type: "object", additionalProperties: { type: "object" }, description: "Kind to the JSON Schema of its values, where it has one." },
    },
    ["inputs", "outputs", "typing_hints", "kinds_schemas"],
  ),
  BlocksDescription: obj<Wire.BlocksDescription>(
    {
      blocks: {
        type: "array",
        items: obj(
          {
            manifest_type_identifier: str(),
            manifest_type_identifier_aliases: { type: "array", items: { type: "string" } },
            aliases: { type: "array", items: { type: "string" } },
            human_friendly_block_name: str(),
            block_family: str(),
            description: str(),
            block_schema: { type: "object", additionalProperties: true },
            outputs_manifest: {
              type: "array",
              items: obj({ name: str(), kind: { type: "array", items: obj({ name: str(), description: str() }, ["name"]) } }, ["name", "kind"]),
            },
          },
          ["manifest_type_identifier", "aliases", "human_friendly_block_name", "block_schema", "outputs_manifest"],
        ),
      },
      kinds: { type: "array", items: obj({ name: str(), description: str(), serialised_data_type: str() }, ["name", "description"]) },
    },
    ["blocks", "kinds"],
  ),
  DefinitionSchema: obj<Wire.DefinitionSchema>({ schema: { type: "object", additionalProperties: true } }, ["schema"]),
  Health: obj<Wire.Health>({ status: { type: "string", const: "ok" }, version: str() }, ["status", "version"]),
  WhoAmI: obj<Wire.WhoAmI>(
    {
      welcome: str(),
      instructions: str("What the credential may do, in a sentence."),
      docs: str("Where the routes are described: `/openapi.json`."),
      workspace: str("The credential's workspace (what Roboflow's Python client reads)."),
      scopes: { type: "array", items: str(), description: "An API key's scopes; a workflow token's `[\"workflow:run\"]`, for `workflow` only." },
      key_id: str("An API key: the first 16 hex digits of its SHA-256, as run records name it (`startedBy.keyId`)."),
      workflow: str("A workflow token: the one workflow it may run."),
    },
    ["welcome", "instructions", "docs", "workspace", "scopes"],
  ),
  WorkflowSummary: obj<Wire.WorkflowSummary>(SUMMARY_PROPERTIES, SUMMARY_REQUIRED),
  Workflow: obj<Wire.Workflow>({ ...SUMMARY_PROPERTIES, config: str("The JSON string of `{\"specification\": …}`.") }, [...SUMMARY_REQUIRED, "config"]),
  TrashedWorkflow: obj<Wire.TrashedWorkflow>(
    {
      ...SUMMARY_PROPERTIES,
      deletedAt: { type: "string", format: "date-time" },
      scheduledCleanupAt: { type: "string", format: "date-time", description: "When the deployment's bucket rule removes it: 30 days after `deletedAt`, at the next midnight UTC (the local stack keeps it)." },
      type: { type: "string", const: "workflow", description: "What Roboflow's trash calls the item's kind." },
    },
    [...SUMMARY_REQUIRED, "deletedAt", "scheduledCleanupAt", "type"],
  ),
  TaggedWorkflow: obj<Wire.TaggedWorkflow>({ workflow: ref("Workflow"), etag: str("Carry it back in `If-Match` (or `etag`) to update or delete.") }, ["workflow", "etag"]),
  WorkflowAtVersion: obj<Wire.WorkflowAtVersion>(
    { workflow: ref("Workflow") },
    ["workflow"],
    { description: "An older version as it was saved (its `versionId` is that version's), without an ETag: only the current version's updates." },
  ),
  RestoredWorkflow: obj<Wire.RestoredWorkflow>(
    {
      workflow: ref("Workflow"),
      etag: str("Carry it back in `If-Match` (or `etag`) to update or delete."),
      restored: { type: "boolean", const: true },
      type: { type: "string", const: "workflow" },
      id: str("The workflow's id (its url)."),
    },
    ["workflow", "etag", "restored", "type", "id"],
  ),
  WorkflowList: obj<Wire.WorkflowList>({ workflows: { type: "array", items: ref("WorkflowSummary") }, status: { type: "string", const: "ok" } }, ["workflows", "status"]),
  TrashList: obj<Wire.TrashList>(
    {
      workflows: { type: "array", items: ref("TrashedWorkflow"), description: "Newest deletion first." },
      items: { type: "array", items: ref("TrashedWorkflow"), description: "The same list, where Roboflow's trash lists every kind of item." },
      sections: obj({ workflows: { type: "array", items: ref("TrashedWorkflow") } }, ["workflows"], { description: "The same list, as Roboflow's trash groups items by kind." }),
    },
    ["workflows", "items", "sections"],
  ),
  VersionList: obj<Wire.VersionList>(
    { versions: { type: "array", description: "Newest first.", items: obj<Wire.WorkflowVersion>({ versionId: str(), createdAt: { type: "string", format: "date-time" }, name: str() }, ["versionId", "createdAt", "name"]) } },
    ["versions"],
  ),
  CreateWorkflowRequest: obj(
    {
      name: str(),
      url: str("Default: made from the name."),
      config: CONFIG,
      template: str("Accepted as Roboflow's API takes it; not stored (cvflow has no templates)."),
      public: { type: "boolean", default: false },
      api_key: str(),
    },
    ["name", "config"],
  ),
  UpdateWorkflowRequest: obj(
    {
      url: str("The workflow to update; `url` or `id` is required."),
      id: str("The workflow's id, as Roboflow's clients send it; here it equals `url` (when both are given they must be equal)."),
      name: str(),
      config: CONFIG,
      public: { type: "boolean" },
      etag: str("Instead of the `If-Match` header."),
      api_key: str(),
    },
    [],
  ),
  ForkWorkflowRequest: obj(
    {
      url: str("cvflow's form: the workflow to copy, in this workspace. In Roboflow's form (with `source_workflow`): the copy's url."),
      new_url: str("cvflow's form: the copy's url. Default: `<url>-copy`."),
      new_name: str("cvflow's form: the copy's name. Default: `<name> (copy)`."),
      source_workflow: str("Roboflow's form: the workflow to copy. Its presence selects this form."),
      source_workspace: str("Roboflow's form: the workspace it is in. Default: this workspace. Another workspace's workflow may be copied only where the key could read it (it is public)."),
      name: str("Roboflow's form: the copy's name. Default: `<name> (copy)`."),
      api_key: str(),
    },
    [],
  ),
  RestoreWorkflowRequest: obj(
    {
      url: str("The workflow to restore; `url` or `id` is required."),
      id: str("Roboflow's form: the trash item's id, which is the workflow's url here (when both are given they must be equal)."),
      type: { type: "string", const: "workflow", description: "Roboflow's form: the kind of item; the trash here holds workflows only." },
      api_key: str(),
    },
    [],
  ),
  DeleteWorkflowRequest: obj({ etag: str("Instead of the `If-Match` header."), api_key: str() }),
  DeletedWorkflow: obj<Wire.DeletedWorkflow>({ deleted: str() }, ["deleted"]),
  TokenRequest: obj({ url: str(), ttl_seconds: { type: "integer", minimum: 1, maximum: 86400, default: 900 }, api_key: str() }, ["url"]),
  TokenResponse: obj<Wire.TokenResponse>({ token: str("A Bearer credential that may only run this workflow."), expires_at: { type: "string", format: "date-time" } }, ["token", "expires_at"]),
  UploadRequest: obj({ content_type: { type: "string", default: "image/jpeg", pattern: "^image/" }, api_key: str() }),
  UploadResponse: obj<Wire.UploadResponse>(
    {
      upload_url: str("PUT the image bytes here, with the same Content-Type."),
      expires_at: { type: "string", format: "date-time" },
      image: ref("ImageInput"),
    },
    ["upload_url", "expires_at", "image"],
  ),
  BatchJobRequest: obj(
    {
      workflow: {
        description: "A saved workflow, or an inline definition.",
        oneOf: [obj({ workspace: str(), id: str(), version_id: str("Default: the current version, pinned when the job starts.") }, ["workspace", "id"]), obj({ specification: ref("WorkflowDefinition") }, ["specification"])],
      },
      input: {
        description: "Every image below an S3 prefix (.jpg .jpeg .png .webp .gif .tif .tiff), a list of `s3://` and `https://` sources, or one video in S3 (docs/batch.md, Video jobs).",
        oneOf: [
          obj({ prefix: str("s3://bucket/prefix/") }, ["prefix"]),
          obj({ manifest: { type: "array", minItems: 1, items: { type: "string" } } }, ["manifest"]),
          obj(
            {
              video: str("s3://bucket/key of a video file"),
              max_fps: { type: "number", exclusiveMinimum: 0, description: "Take at most this many frames per second." },
              segment_frames: { type: "integer", minimum: 1, maximum: 100000, default: 500, description: "Taken frames per segment (one worker call each; it must finish within one 90 s worker run)." },
            },
            ["video"],
          ),
        ],
      },
      parameters: { type: "object", additionalProperties: true, description: "Values of the workflow's parameters." },
      image_input: { type: "string", default: "image", description: "The workflow's image input the images feed." },
      output_prefix: str("Default `s3://<bucket>/batches/{job}/output/`; `{job}` stands for the job's id."),
      aggregation_format: { type: "string", enum: ["csv", "jsonl"], default: "csv" },
      save_image_outputs: { type: "boolean", default: false },
      batch_size: { type: "integer", minimum: 1, maximum: 1000, default: 10, description: "Images per worker call." },
      max_concurrency: { type: "integer", minimum: 1, maximum: 1000, default: 20, description: "Worker calls at once." },
      tolerated_failure_percentage: { type: "number", minimum: 0, maximum: 100, default: 10, description: "Percent of images that may fail before the job ends failed." },
      api_key: str(),
    },
    ["workflow", "input"],
  ),
  BatchJobSubmitted: obj<Wire.BatchJobSubmitted>({ job: str("The job's id."), state: { type: "string", const: "submitted" } }, ["job", "state"]),
  BatchJobStatus: obj<Wire.BatchJobStatus>(
    {
      job: str(),
      workspace: str(),
      state: {
        type: "string",
        enum: ["submitted", "running", "succeeded", "completed_with_failures", "failed", "aborted"],
        description: "succeeded: every image has results; completed_with_failures: some failed, within tolerated_failure_percentage; failed: more failed (error says how many), or the job could not run.",
      },
      total: { type: "integer", description: "Images in the job (a video job: segments), once it has started." },
      frames: { type: "integer", description: "A video job: the frames it processes (those max_fps takes)." },
      done: { type: "integer", description: "Images with results." },
      failed: { type: "integer", description: "Images with a failure record (and, once finished, those not processed)." },
      tolerated_failure_percentage: { type: "number", description: "Percent of images that may fail before the job ends failed; set once it has finished." },
      submitted_at: { type: "string", format: "date-time" },
      started_at: { type: ["string", "null"], format: "date-time" },
      finished_at: { type: ["string", "null"], format: "date-time" },
      output_prefix: str(),
      execution: { type: ["string", "null"], description: "The state machine execution working on the job, or that last did." },
      last_run: obj({ processed: { type: "integer" }, skipped: { type: "integer" }, failed: { type: "integer" } }, [], { description: "What the workers of the last execution did." }),
      error: obj({ code: str(), message: str() }, ["code", "message"]),
    },
    ["job", "state", "output_prefix", "submitted_at", "started_at", "finished_at"],
  ),
  BatchJobList: obj<Wire.BatchJobList>({ jobs: { type: "array", items: ref("BatchJobStatus") } }, ["jobs"]),
  BatchJobResults: obj<Wire.BatchJobResults>(
    {
      job: str("The job's id."),
      state: { type: "string", enum: ["submitted", "running", "succeeded", "completed_with_failures", "failed", "aborted"] },
      files: {
        type: "array",
        description: "The files written so far: `aggregated_results.csv` or `.jsonl`, `failures.jsonl`, `summary.json`, in this order (none before the job's end).",
        items: obj<Wire.BatchResultFile>({ name: str(), size: { type: "integer", description: "Bytes." }, url: str("A presigned GET URL, valid for an hour.") }, ["name", "size", "url"]),
      },
    },
    ["job", "state", "files"],
  ),
} satisfies Record<string, Schema>;
