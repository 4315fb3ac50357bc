/**
 * `/inference_pipelines/*`: Roboflow's video pipeline routes, with the bodies inference_sdk sends
 * (`start_inference_pipeline_with_workflow`, `list_inference_pipelines`, `get_inference_pipeline_status`,
 * `pause_`/`resume_`/`terminate_inference_pipeline`, `consume_inference_pipeline_result`) and the
 * answers Roboflow's server gives (`{"status": "success", "context": {request_id, pipeline_id}, …}`).
 * The pipelines themselves run wherever the deployment gives them (ctx.pipelines: the local
 * stack's); without them — on Lambda — every route answers 501 `pipelines_not_configured`.
 * A pipeline belongs to the workspace of the key that started it; other workspaces never see it.
 */
import type { Principal } from "../auth.js";
import { bodyObject, optionalBoolean, optionalObject, optionalString, optionalStringList, type Fields } from "../body.js";
import type { ServiceContext } from "../context.js";
import { invalidRequest, pipelineNotFound, pipelineNotRunning, pipelinesNotConfigured, unauthorized, workflowVersionNotFound } from "../errors.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../http.js";
import type { InferencePipeline, InferencePipelines, PipelineStart } from "../inference-pipelines.js";
import { savedWithInnerWorkflows, withInnerWorkflows } from "../inner-workflows.js";
import { accessibleWorkflow } from "../workflow-access.js";

/** Roboflow's default `results_buffer_size`; and cvflow's cap, so one pipeline's memory stays bounded. */
const DEFAULT_RESULTS_BUFFER = 64;
const MAX_RESULTS_BUFFER = 1024;

/** Roboflow's CommandResponse: its status and context (our request id is Roboflow's server-side request_id). */
function command(request: ServiceRequest, pipelineId: string | undefined, fields: Record<string, unknown> = {}): ServiceResponse {
  return ok({ status: "success", context: { request_id: request.requestId, pipeline_id: pipelineId ?? null }, ...fields });
}

function pipelinesOf(ctx: ServiceContext, path: string): InferencePipelines {
  if (!ctx.pipelines) throw pipelinesNotConfigured(path);
  return ctx.pipelines;
}

function workspaceOf(principal: Principal): string {
  if (principal.type === "anonymous") throw unauthorized();
  return principal.workspace;
}

export async function initialisePipeline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipelines = pipelinesOf(ctx, "/inference_pipelines/initialise");
  const fields = bodyObject(request.body);
  const video = section(fields, "video_configuration", "VideoConfiguration");
  const processing = section(fields, "processing_configuration", "WorkflowConfiguration");
  const sink = optionalObject(fields, "sink_configuration") ?? {};
  const start: PipelineStart = {
    workspace: workspaceOf(principal),
    workflow: await workflowOf(ctx, processing, principal),
    videoReferences: videoReferences(video["video_reference"]),
    maxFps: positiveNumber(video, "max_fps", "video_configuration.max_fps"),
    imageInputName: optionalString(processing, "image_input_name") ?? "image",
    videoMetadataInputName: optionalString(processing, "video_metadata_input_name") ?? "video_metadata",
    parameters: optionalObject(processing, "workflows_parameters") ?? {},
    disableSinks: optionalBoolean(processing, "disable_sinks") ?? false,
    resultsBufferSize: resultsBufferSize(sink),
  };
  const pipeline = await pipelines.start(start);
  return command(request, pipeline.id);
}

export async function listPipelines(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipelines = pipelinesOf(ctx, "/inference_pipelines/list");
  return command(request, undefined, { pipelines: pipelines.list(workspaceOf(principal)) });
}

export async function pipelineStatus(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipeline = pipelineOf(ctx, request, principal, "status");
  return command(request, pipeline.id, { report: pipeline.report() });
}

export async function pausePipeline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipeline = pipelineOf(ctx, request, principal, "pause");
  if (!pipeline.pause()) throw pipelineNotRunning(pipeline.id, stateOf(pipeline));
  return command(request, pipeline.id);
}

export async function resumePipeline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipeline = pipelineOf(ctx, request, principal, "resume");
  if (!pipeline.resume()) throw pipelineNotRunning(pipeline.id, stateOf(pipeline));
  return command(request, pipeline.id);
}

export async function terminatePipeline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipeline = pipelineOf(ctx, request, principal, "terminate");
  await pipeline.terminate();
  return command(request, pipeline.id);
}

/** The oldest buffered result, as Roboflow's in-memory buffer sink gives it; `[]` and `[]` when none is waiting. */
export async function consumePipeline(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const pipeline = pipelineOf(ctx, request, principal, "consume");
  const excluded = optionalStringList(bodyObject(request.body), "excluded_fields") ?? [];
  const result = pipeline.consume(excluded) ?? { outputs: [], frames_metadata: [] };
  return command(request, pipeline.id, { ...result });
}

function pipelineOf(ctx: ServiceContext, request: ServiceRequest, principal: Principal, action: string): InferencePipeline {
  const id = request.pathParameters["pipeline_id"] ?? "";
  const pipelines = pipelinesOf(ctx, `/inference_pipelines/${id}/${action}`);
  const pipeline = pipelines.get(workspaceOf(principal), id);
  if (!pipeline) throw pipelineNotFound(id);
  return pipeline;
}

function stateOf(pipeline: InferencePipeline): string {
  return pipeline.report().sources_metadata.map((source) => source.state).join(", ") || "ENDED";
}

/** A configuration object of the body, whose `type` (when sent) is the one Roboflow's schema names. */
function section(fields: Fields, name: string, type: string): Fields {
  const value = optionalObject(fields, name);
  if (!value) throw invalidRequest(`"${name}" is required`, { field: name });
  if (value["type"] !== undefined && value["type"] !== type) throw invalidRequest(`"${name}.type" must be "${type}"`, { field: `${name}.type` });
  return value;
}

/** The workflow by workspace and id (and version), or inline: exactly one of them, as inference_sdk insists too. */
async function workflowOf(ctx: ServiceContext, processing: Fields, principal: Principal): Promise<unknown> {
  const specification = optionalObject(processing, "workflow_specification");
  const workspace = optionalString(processing, "workspace_name");
  const workflowId = optionalString(processing, "workflow_id");
  const named = workspace !== undefined && workflowId !== undefined;
  if (named === (specification !== undefined)) {
    throw invalidRequest("processing_configuration needs either workflow_specification, or workspace_name with workflow_id", { field: "processing_configuration.workflow_specification" });
  }
  // The saved workflows it includes loaded now (the pipeline runs them as they are at its start),
  // and compiled now (the engine keeps the plan), so that a definition that does not compile is
  // this request's 400, not a pipeline's failure later.
  if (specification) {
    const resolved = await withInnerWorkflows(ctx, principal, specification);
    ctx.engine.compile(resolved);
    return resolved;
  }
  const current = await accessibleWorkflow(ctx, principal, workspace!, workflowId!, "workflow:run", { token: true, useCache: true });
  const versionId = optionalString(processing, "workflow_version_id");
  const chosen = versionId === undefined || versionId === current.tagged.value.versionId ? current : await ctx.saved.version(workspace!, workflowId!, versionId);
  if (!chosen) throw workflowVersionNotFound(workspace!, workflowId!, versionId!);
  const resolved = await savedWithInnerWorkflows(ctx, chosen);
  ctx.engine.compile(resolved);
  return resolved;
}

function videoReferences(value: unknown): (string | number)[] {
  const references = Array.isArray(value) ? value : [value];
  const field = "video_configuration.video_reference";
  if (references.length === 0) throw invalidRequest(`"${field}" must name at least one video`, { field });
  for (const reference of references) {
    const valid = (typeof reference === "string" && reference !== "") || (typeof reference === "number" && Number.isInteger(reference) && reference >= 0);
    if (!valid) throw invalidRequest(`"${field}" must be a path, a URL or a camera index, or a list of them`, { field });
  }
  return references as (string | number)[];
}

function positiveNumber(fields: Fields, name: string, field: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !(value > 0)) throw invalidRequest(`"${field}" must be a number above 0`, { field });
  return value;
}

function resultsBufferSize(sink: Fields): number {
  const value = sink["results_buffer_size"] ?? DEFAULT_RESULTS_BUFFER;
  const field = "sink_configuration.results_buffer_size";
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_RESULTS_BUFFER) {
    throw invalidRequest(`"${field}" must be an integer from 1 to ${MAX_RESULTS_BUFFER}`, { field });
  }
  return value;
}
