/**
 * `/inference_pipelines/*` at the service's edge: on a deployment without pipelines (Lambda) every
 * route answers 501 pointing at video jobs; with them, the bodies inference_sdk sends become the
 * PipelineStart the deployment's pipelines get, a pipeline is its workspace's only, and wrong bodies
 * are 400s naming their field. The pipelines here record what they are asked (the port's other
 * side, with real video, is test/roboflow-client-pipelines.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { ConsumedResult, InferencePipeline, InferencePipelines, PipelineReport, PipelineStart } from "../src/inference-pipelines.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

const spec = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [],
  outputs: [{ type: "JsonField", name: "image", selector: "$inputs.image" }],
};

/** inference_sdk's start_inference_pipeline_with_workflow body, as it sends it. */
const initialise = (processing: Record<string, unknown>, video: Record<string, unknown> = {}, sink: Record<string, unknown> = {}) => ({
  video_configuration: { type: "VideoConfiguration", video_reference: "clip.mp4", max_fps: null, source_buffer_filling_strategy: "DROP_OLDEST", source_buffer_consumption_strategy: "EAGER", video_source_properties: null, batch_collection_timeout: null, ...video },
  processing_configuration: { type: "WorkflowConfiguration", workflow_specification: null, workspace_name: null, workflow_id: null, image_input_name: "image", workflows_parameters: null, workflows_thread_pool_workers: 4, cancel_thread_pool_tasks_on_exit: true, video_metadata_input_name: "video_metadata", ...processing },
  sink_configuration: { type: "MemorySinkConfiguration", results_buffer_size: 64, ...sink },
});

class RecordedPipelines implements InferencePipelines {
  readonly started: PipelineStart[] = [];
  readonly pipelines = new Map<string, { workspace: string; pipeline: InferencePipeline }>();

  async start(start: PipelineStart): Promise<InferencePipeline> {
    this.started.push(start);
    const id = `p${this.started.length}`;
    let paused = false;
    const results: ConsumedResult[] = [{ outputs: [{ a: 1, b: 2 }], frames_metadata: [{ frame_timestamp: "2026-01-01T00:00:00.000Z", frame_id: 1, source_id: 0 }] }];
    const pipeline: InferencePipeline = {
      id,
      pause: () => ((paused = true), true),
      resume: () => ((paused = false), true),
      terminate: async () => void this.pipelines.delete(id),
      report: () => ({ sources_metadata: [{ state: paused ? "MUTED" : "RUNNING" }] }) as PipelineReport,
      consume: (excluded) => {
        const next = results.shift();
        return next && { ...next, outputs: next.outputs.map((o) => Object.fromEntries(Object.entries(o!).filter(([k]) => !excluded.includes(k)))) };
      },
    };
    this.pipelines.set(id, { workspace: start.workspace, pipeline });
    return pipeline;
  }

  list(workspace: string): string[] {
    return [...this.pipelines].filter(([, p]) => p.workspace === workspace).map(([id]) => id);
  }

  get(workspace: string, id: string): InferencePipeline | undefined {
    const found = this.pipelines.get(id);
    return found?.workspace === workspace ? found.pipeline : undefined;
  }
}

describe("on a deployment without video pipelines (Lambda)", () => {
  it.each([
    ["POST", "/inference_pipelines/initialise"],
    ["GET", "/inference_pipelines/list"],
    ["GET", "/inference_pipelines/abc/status"],
    ["POST", "/inference_pipelines/abc/pause"],
    ["POST", "/inference_pipelines/abc/terminate"],
    ["GET", "/inference_pipelines/abc/consume"],
    ["POST", "/inference_pipelines/initialise_webrtc"],
  ])("%s %s: 501 pipelines_not_configured, pointing at video jobs", async (method, path) => {
    const { call } = await testService();
    const { statusCode, body } = await call(method, path, { key: KEYS.runner, body: initialise({ workflow_specification: spec }) });
    expect(statusCode).toBe(501);
    expect(body.error.code).toBe("pipelines_not_configured");
    expect(body.error.message).toMatch(/video job.*docs\/video\.md/);
    expect(body.error.details).toMatchObject({ path: path === "/inference_pipelines/initialise" ? path : expect.stringMatching(/^\/inference_pipelines\//) });
  });
});

describe("with the deployment's pipelines (the local stack)", () => {
  it("starts one from inference_sdk's body (inline workflow), answering Roboflow's CommandResponse", async () => {
    const pipelines = new RecordedPipelines();
    const { call } = await testService({ pipelines });
    const body = initialise({ workflow_specification: spec, workflows_parameters: { threshold: 0.5 } }, { video_reference: ["a.mp4", 0], max_fps: 5 }, { results_buffer_size: 16 });
    const { statusCode, body: answer } = await call("POST", "/inference_pipelines/initialise", { key: KEYS.runner, body });
    expect(statusCode).toBe(200);
    expect(answer).toEqual({ status: "success", context: { request_id: expect.any(String), pipeline_id: "p1" } });
    expect(pipelines.started).toEqual([
      { workspace: WORKSPACE, workflow: spec, videoReferences: ["a.mp4", 0], maxFps: 5, imageInputName: "image", videoMetadataInputName: "video_metadata", parameters: { threshold: 0.5 }, disableSinks: false, resultsBufferSize: 16 },
    ]);
  });

  it("starts a saved workflow by workspace_name and workflow_id, with disable_sinks", async () => {
    const pipelines = new RecordedPipelines();
    const { call } = await testService({ pipelines });
    expect((await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Echo", url: "echo", config: { specification: spec } } })).statusCode).toBe(201);
    const { statusCode } = await call("POST", "/inference_pipelines/initialise", { key: KEYS.runner, body: initialise({ workspace_name: WORKSPACE, workflow_id: "echo", disable_sinks: true }) });
    expect(statusCode).toBe(200);
    expect(pipelines.started[0]!.workflow).toEqual(spec);
    // Roboflow's processing_configuration.disable_sinks: the pipeline's sinks stay silent.
    expect(pipelines.started[0]!.disableSinks).toBe(true);
    const missing = await call("POST", "/inference_pipelines/initialise", { key: KEYS.runner, body: initialise({ workspace_name: WORKSPACE, workflow_id: "nope" }) });
    expect(missing.statusCode).toBe(404);
  });

  it.each([
    ["neither workflow", initialise({}), "processing_configuration.workflow_specification"],
    ["both workflows", initialise({ workflow_specification: spec, workspace_name: "w", workflow_id: "x" }), "processing_configuration.workflow_specification"],
    ["no video", initialise({ workflow_specification: spec }, { video_reference: [] }), "video_configuration.video_reference"],
    ["a negative max_fps", initialise({ workflow_specification: spec }, { max_fps: -1 }), "video_configuration.max_fps"],
    ["a buffer over the cap", initialise({ workflow_specification: spec }, {}, { results_buffer_size: 100_000 }), "sink_configuration.results_buffer_size"],
  ])("refuses %s: 400 naming the field, nothing started", async (_, body, field) => {
    const pipelines = new RecordedPipelines();
    const { call } = await testService({ pipelines });
    const answer = await call("POST", "/inference_pipelines/initialise", { key: KEYS.runner, body });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.error.details.field).toBe(field);
    expect(pipelines.started).toEqual([]);
  });

  it("refuses a definition that does not compile before starting anything", async () => {
    const pipelines = new RecordedPipelines();
    const { call } = await testService({ pipelines });
    const answer = await call("POST", "/inference_pipelines/initialise", { key: KEYS.runner, body: initialise({ workflow_specification: { ...spec, steps: [{ type: "no_such_block@v1", name: "x" }] } }) });
    expect(answer.statusCode).toBe(400);
    expect(pipelines.started).toEqual([]);
  });

  it("lists, reads, pauses, resumes, consumes and terminates a pipeline of the caller's workspace; another workspace sees none of it", async () => {
    const pipelines = new RecordedPipelines();
    const { call } = await testService({ pipelines });
    await call("POST", "/inference_pipelines/initialise", { key: KEYS.runner, body: initialise({ workflow_specification: spec }) });
    expect((await call("GET", "/inference_pipelines/list", { key: KEYS.runner })).body).toMatchObject({ status: "success", pipelines: ["p1"] });
    expect((await call("GET", "/inference_pipelines/list", { key: KEYS.other })).body.pipelines).toEqual([]);
    for (const [method, action] of [["GET", "status"], ["POST", "pause"], ["GET", "consume"], ["POST", "terminate"]] as const) {
      const answer = await call(method, `/inference_pipelines/p1/${action}`, { key: KEYS.other });
      expect(answer.statusCode, action).toBe(404);
      expect(answer.body.error).toMatchObject({ code: "pipeline_not_found", details: { pipeline_id: "p1" } });
    }
    expect((await call("POST", "/inference_pipelines/p1/pause", { key: KEYS.runner })).body).toMatchObject({ status: "success", context: { pipeline_id: "p1" } });
    expect((await call("GET", "/inference_pipelines/p1/status", { key: KEYS.runner })).body.report.sources_metadata[0].state).toBe("MUTED");
    expect((await call("POST", "/inference_pipelines/p1/resume", { key: KEYS.runner })).statusCode).toBe(200);
    // inference_sdk sends excluded_fields in a GET's JSON body.
    const consumed = await call("GET", "/inference_pipelines/p1/consume", { key: KEYS.runner, body: { excluded_fields: ["b"] } });
    expect(consumed.body).toEqual({
      status: "success",
      context: { request_id: expect.any(String), pipeline_id: "p1" },
      outputs: [{ a: 1 }],
      frames_metadata: [{ frame_timestamp: "2026-01-01T00:00:00.000Z", frame_id: 1, source_id: 0 }],
    });
    expect((await call("GET", "/inference_pipelines/p1/consume", { key: KEYS.runner })).body).toMatchObject({ outputs: [], frames_metadata: [] });
    expect((await call("POST", "/inference_pipelines/p1/terminate", { key: KEYS.runner })).statusCode).toBe(200);
    expect((await call("GET", "/inference_pipelines/p1/status", { key: KEYS.runner })).statusCode).toBe(404);
    expect((await call("GET", "/inference_pipelines/list", { key: KEYS.runner })).body.pipelines).toEqual([]);
  });

  it("answers 404 route_not_found on other paths below /inference_pipelines (Roboflow's WebRTC routes are not served)", async () => {
    const { call } = await testService({ pipelines: new RecordedPipelines() });
    const answer = await call("POST", "/inference_pipelines/initialise_webrtc", { key: KEYS.runner, body: {} });
    expect(answer.statusCode).toBe(404);
    expect(answer.body.error.code).toBe("route_not_found");
  });
});
