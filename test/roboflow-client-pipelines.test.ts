/**
 * Roboflow's own Python client drives a video pipeline on the local stack: a one-step detection
 * workflow on ../shared/videos/vtest.avi (people walking) started with
 * start_inference_pipeline_with_workflow, listed, read, paused and resumed, consumed, terminated
 * (test/roboflow-client/pipeline_checks.py does the calls; this asserts on what it saw).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LocalStack } from "@cvflow/local";
import { missing, skipping } from "@cvflow/vision/test-assets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "./local-stack.js";
import { findPython, runClientChecks } from "./roboflow-client/python.js";

const VIDEO = join(import.meta.dirname, "..", "..", "shared", "videos", "vtest.avi");
const found = findPython();
const skip =
  ("missing" in found ? found.missing : undefined) ??
  (spawnSync("ffmpeg", ["-version"]).error ? skipping("inference_sdk's pipeline methods", ["ffmpeg is not installed (apt-get install ffmpeg)"]) : undefined) ??
  (existsSync(VIDEO) ? undefined : skipping("inference_sdk's pipeline methods", ["../shared/videos/vtest.avi is absent (the project's shared test clip, not part of the repository)"])) ??
  missing("inference_sdk's pipeline methods", { models: ["yolov8n-640"] });

const detection = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640", confidence: 0.4 }],
  outputs: [
    { type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" },
    { type: "JsonField", name: "count", selector: "$steps.detection.predictions" },
  ],
};
const RESULTS_BUFFER = 8;
const CONSUME = 5;

let stack: LocalStack;
let report: Record<string, any>;

describe.skipIf(skip)("inference_sdk's video pipeline methods against the local stack", () => {
  beforeAll(async () => {
    stack = await testStack();
    report = await runClientChecks(
      "python" in found ? found.python : "",
      {
        api_url: stack.url,
        api_key: stack.apiKey,
        video: VIDEO,
        workflow: detection,
        // vtest.avi is 10 fps: every 5th frame.
        max_fps: 2,
        results_buffer_size: RESULTS_BUFFER,
        consume: CONSUME,
        excluded_fields: ["count"],
        paused_seconds: 1,
        wait_seconds: 60,
      },
      "pipeline_checks.py",
    );
  }, 180_000);
  afterAll(() => stack?.close());

  const returned = (step: string) => {
    expect(report[step], JSON.stringify(report[step])).toHaveProperty("returned");
    return report[step].returned;
  };
  const counters = (step: string) => returned(step).report.cvflow;

  it("starts it, answering Roboflow's CommandResponse with the pipeline id, and lists it", () => {
    const started = returned("start");
    expect(started).toEqual({ status: "success", context: { request_id: expect.any(String), pipeline_id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(returned("list").pipelines).toEqual([started.context.pipeline_id]);
  });

  it("reads its status as Roboflow's report: the source, its state, the throughput", () => {
    const status = returned("status_resumed");
    expect(status.status).toBe("success");
    expect(status.report.sources_metadata).toEqual([expect.objectContaining({ source_reference: VIDEO, source_id: 0, state: "RUNNING", buffer_filling_strategy: "WAIT" })]);
    expect(status.report.inference_throughput).toBeGreaterThan(0);
    expect(status.report.video_source_status_updates.map(({ event_type, payload }: { event_type: string; payload: object }) => ({ event_type, payload }))).toEqual([
      { event_type: "INFERENCE_THREAD_STARTED", payload: {} },
      { event_type: "SOURCE_STATE_UPDATE", payload: { previous_state: "RUNNING", new_state: "MUTED", source_id: 0 } },
      { event_type: "SOURCE_STATE_UPDATE", payload: { previous_state: "MUTED", new_state: "RUNNING", source_id: 0 } },
    ]);
  });

  it("pauses (Roboflow's mute): no frame is taken while paused beyond the one being run; resume goes on", () => {
    expect(returned("pause")).toMatchObject({ status: "success" });
    expect(returned("status_paused").report.sources_metadata[0].state).toBe("MUTED");
    const paused = counters("status_paused").frames_processed;
    const stillPaused = counters("status_still_paused").frames_processed;
    expect(paused).toBeGreaterThanOrEqual(3);
    expect(stillPaused - paused).toBeLessThanOrEqual(1);
    expect(returned("resume")).toMatchObject({ status: "success" });
    expect(counters("status_before_terminate").frames_processed).toBeGreaterThan(stillPaused);
  });

  it("consumes one frame's result per call, oldest first: detections of people, frame ids every 5th frame, excluded fields left out", () => {
    const consumed = report["consumed"] as { frames_metadata: { frame_id: number; source_id: number; frame_timestamp: string }[]; output_names: string[]; classes: string[]; image: unknown }[];
    expect(consumed).toHaveLength(CONSUME);
    const ids = consumed.map((c) => c.frames_metadata[0]!.frame_id);
    for (const [i, id] of ids.entries()) if (i > 0) expect(id).toBeGreaterThan(ids[i - 1]!);
    // max_fps 2 on a 10 fps file: frame 1, 6, 11, …
    for (const id of ids) expect((id - 1) % 5).toBe(0);
    for (const c of consumed) {
      expect(c.frames_metadata[0]).toEqual({ frame_id: expect.any(Number), source_id: 0, frame_timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(c.output_names).toEqual(["predictions"]);
      expect(c.image).toEqual({ width: 768, height: 576 });
    }
    expect(consumed.flatMap((c) => c.classes)).toContain("person");
  });

  it("bounds its buffer: results nobody consumed in time are dropped and counted", () => {
    const { frames_processed, results_dropped, results_buffered } = counters("status_before_terminate");
    expect(results_buffered).toBeLessThanOrEqual(RESULTS_BUFFER);
    // Every processed frame's result was consumed, dropped, or waits.
    expect(CONSUME + results_dropped + results_buffered).toBe(frames_processed);
  });

  it("terminates it: gone from the list, its id then unknown (404)", () => {
    expect(returned("terminate")).toMatchObject({ status: "success" });
    expect(returned("list_after_terminate").pipelines).toEqual([]);
    for (const step of ["status_after_terminate", "consume_after_terminate"]) {
      expect(report[step], step).toMatchObject({ raised: "HTTPCallErrorError", status_code: 404 });
      expect(report[step].api_message, step).toMatch(/inference pipeline/);
    }
  });
});
