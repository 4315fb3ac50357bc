/**
 * Roboflow's video pipeline routes (`/inference_pipelines/…`, docs/api.md "Video pipelines") for
 * the route table. Each takes an API key with `workflow:run` (a pipeline is its workspace's); on a
 * deployment without pipelines (Lambda) each answers 501 `pipelines_not_configured`. Any other
 * path below `/inference_pipelines` is no workspace's: 501 there too, or 404 where pipelines run.
 */
import type { Scope } from "@cvflow/store";
import type { ServiceContext } from "./context.js";
import { pipelinesNotConfigured, routeNotFound } from "./errors.js";
import { METHODS, type RouteAccess } from "./http.js";
import type { OpenApiOperation, Schema } from "./openapi-types.js";
import type { RouteSpec } from "./route-spec.js";
import { ref } from "./schemas.js";
import { consumePipeline, initialisePipeline, listPipelines, pausePipeline, pipelineStatus, resumePipeline, terminatePipeline } from "./use-cases/inference-pipelines.js";

const runner: RouteAccess = { kind: "key", scopes: ["workflow:run"] satisfies Scope[] };
const NOT_HERE = "On a deployment without video pipelines (AWS Lambda: a pipeline outlives any invocation) this answers 501 `pipelines_not_configured`; send a video file as a video job instead (docs/video.md).";

/** Roboflow's CommandResponse, with what the route adds to it. */
const commandResponse = (extra: Record<string, Schema> = {}): Schema => ({
  type: "object",
  required: ["status", "context", ...Object.keys(extra)],
  properties: {
    status: { const: "success" },
    context: { type: "object", properties: { request_id: { type: "string" }, pipeline_id: { type: ["string", "null"] } } },
    ...extra,
  },
});
const api_key = { api_key: { type: "string", description: "The API key, as inference_sdk sends it (also taken from `Authorization` or the query)." } };

export function pipelineRoutes(ctx: ServiceContext): RouteSpec[] {
  const route = (method: RouteSpec["method"], path: string, doc: Omit<OpenApiOperation, "tags" | "description"> & { description: string }, handle: RouteSpec["handle"]): RouteSpec => ({
    method,
    path,
    access: runner,
    doc: { ...doc, description: `${doc.description} ${NOT_HERE}`, tags: ["video"] },
    handle,
  });
  const command = (method: "POST", action: string, summary: string, description: string, handle: RouteSpec["handle"]): RouteSpec =>
    route(method, `/inference_pipelines/{pipeline_id}/${action}`, { operationId: `${action}InferencePipeline`, summary, description, responses: { 200: { description: "Done.", schema: commandResponse() } } }, handle);
  return [
    route(
      "POST",
      "/inference_pipelines/initialise",
      {
        operationId: "initialiseInferencePipeline",
        summary: "Start a video pipeline running a workflow on each frame",
        description:
          "inference_sdk's `start_inference_pipeline_with_workflow`: `video_configuration` (`video_reference`: a file, a URL, an RTSP stream or a camera index, or a list of them; `max_fps`), `processing_configuration` (`workflow_specification`, or `workspace_name` + `workflow_id` [+ `workflow_version_id`]; `image_input_name`, `video_metadata_input_name`, `workflows_parameters`, `disable_sinks`), `sink_configuration` (`results_buffer_size`, default 64, at most 1024). The pipeline id is the answer's `context.pipeline_id`.",
        requestBody: { schema: { type: "object", required: ["video_configuration", "processing_configuration"], properties: { ...api_key, video_configuration: { type: "object" }, processing_configuration: { type: "object" }, sink_configuration: { type: "object" } } }, required: true },
        responses: { 200: { description: "Started.", schema: commandResponse() } },
      },
      (request, principal) => initialisePipeline(ctx, request, principal),
    ),
    route(
      "GET",
      "/inference_pipelines/list",
      { operationId: "listInferencePipelines", summary: "The workspace's pipelines", description: "Ids of the pipelines not terminated (ended ones too: their results may still be consumed).", responses: { 200: { description: "Their ids.", schema: commandResponse({ pipelines: { type: "array", items: { type: "string" } } }) } } },
      (request, principal) => listPipelines(ctx, request, principal),
    ),
    route(
      "GET",
      "/inference_pipelines/{pipeline_id}/status",
      {
        operationId: "inferencePipelineStatus",
        summary: "A pipeline's report",
        description: "Roboflow's PipelineStateReport (`sources_metadata` with each source's `state`, `inference_throughput`, `latency_reports`, `video_source_status_updates`) and cvflow's counters in `report.cvflow` (`frames_processed`, `frames_dropped`, `results_dropped`, `results_buffered`, `error`).",
        responses: { 200: { description: "Its report.", schema: commandResponse({ report: { type: "object" } }) } },
      },
      (request, principal) => pipelineStatus(ctx, request, principal),
    ),
    command("POST", "pause", "Pause a pipeline", "Stops taking frames until resumed (a live source's frames meanwhile are dropped). 409 `pipeline_not_running` once it has ended.", (request, principal) => pausePipeline(ctx, request, principal)),
    command("POST", "resume", "Resume a paused pipeline", "409 `pipeline_not_running` once it has ended.", (request, principal) => resumePipeline(ctx, request, principal)),
    command("POST", "terminate", "Stop a pipeline and forget it", "Its buffered results go with it; its id is then unknown (404).", (request, principal) => terminatePipeline(ctx, request, principal)),
    route(
      "GET",
      "/inference_pipelines/{pipeline_id}/consume",
      {
        operationId: "consumeInferencePipeline",
        summary: "Take the oldest buffered result",
        description:
          "As Roboflow's in-memory buffer sink: one frame's result per call, oldest first, removed from the buffer (`outputs` and `frames_metadata`, one entry per source; both `[]` when none waits). A full buffer drops its oldest (counted in the status's `results_dropped`). `excluded_fields` in the body leaves outputs out.",
        requestBody: { schema: { type: "object", properties: { ...api_key, excluded_fields: { type: "array", items: { type: "string" } } } }, required: false },
        responses: { 200: { description: "The oldest result, or none.", schema: commandResponse({ outputs: { type: "array" }, frames_metadata: { type: "array" } }) } },
      },
      (request, principal) => consumePipeline(ctx, request, principal),
    ),
    // Before every /{workspace}/… route: no path below /inference_pipelines is a workspace's.
    ...METHODS.map(
      (method): RouteSpec => ({
        method,
        path: "/inference_pipelines/{proxy+}",
        access: { kind: "anyone" },
        doc: {
          operationId: `inferencePipelinesOther${method[0]}${method.slice(1).toLowerCase()}`,
          summary: "Any other path below /inference_pipelines",
          description: "404 `route_not_found` where pipelines run (Roboflow's WebRTC routes are not served); 501 `pipelines_not_configured` where they do not.",
          tags: ["video"],
          responses: { 501: { description: "No pipelines on this deployment (`pipelines_not_configured`).", schema: ref("Error") } },
        },
        handle: async (request) => {
          const path = `/inference_pipelines/${request.pathParameters["proxy"] ?? ""}`;
          throw ctx.pipelines ? routeNotFound(method, path) : pipelinesNotConfigured(path);
        },
      }),
    ),
  ];
}
