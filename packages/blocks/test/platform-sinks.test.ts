/**
 * The sinks that need the Roboflow platform or an ONVIF camera: definitions using them compile
 * under Roboflow's ids, aliases and fields, their outputs selectable, and a run that reaches one is
 * a 501 service_unavailable naming the block, what it needs, and the step.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, WorkflowError, type Block } from "@cvflow/engine";
import { platformSinkBlocks } from "../src/sinks/platform_sinks.js";
import { ctx, detections } from "./fixtures.js";

const engine = new WorkflowEngine({ registry: new BlockRegistry(platformSinkBlocks as Block[]) });

const definition = (steps: unknown[], outputs: unknown[]) => ({
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "project" },
    { type: "WorkflowParameter", name: "password" },
    { type: "WorkflowParameter", name: "tags" },
  ],
  steps,
  outputs,
});

/** One step of each block as Roboflow's documentation writes them, images from the input. */
const STEPS = [
  { type: "RoboflowDatasetUpload", name: "upload1", image: "$inputs.image", target_project: "$inputs.project", usage_quota_name: "q", registration_tags: ["a", "b"] },
  {
    type: "roboflow_core/roboflow_dataset_upload@v2",
    name: "upload2",
    images: "$inputs.image",
    target_project: "my-project",
    usage_quota_name: "q",
    data_percentage: 25.5,
    max_image_size: [640, 480],
    labeling_batches_recreation_frequency: "weekly",
    metadata: { camera: "cam-1", shift: 2, image: "$inputs.project" },
    registration_tags: "$inputs.tags",
  },
  {
    type: "roboflow_core/roboflow_vision_events@v1",
    name: "events",
    input_image: "$inputs.image",
    event_type: "safety_alert",
    solution: "site-a",
    severity: "high",
    custom_metadata: { zone: "dock" },
    cooldown_seconds: 0.5,
  },
  { type: "roboflow_core/vision_event_bundle@v1", name: "bundle", target_directory: "/data/events", input_image: "$inputs.image", event_type: "quality_check", qc_result: "fail" },
  { type: "roboflow_core/asset_library_attributes@v1", name: "assets", source_id: "img-1", metadata: { checked: true }, tags: ["$inputs.project"] },
];

const OUTPUTS = [
  { type: "JsonField", name: "upload1", selector: "$steps.upload1.message" },
  { type: "JsonField", name: "upload2", selector: "$steps.upload2.error_status" },
  { type: "JsonField", name: "event_id", selector: "$steps.events.event_id" },
  { type: "JsonField", name: "throttled", selector: "$steps.events.throttling_status" },
  { type: "JsonField", name: "bundle_path", selector: "$steps.bundle.bundle_path" },
  { type: "JsonField", name: "assets", selector: "$steps.assets.*" },
];

describe("platform sinks", () => {
  it("say what they need in describe's description", () => {
    expect(platformSinkBlocks.map((b) => b.manifest.type)).toEqual([
      "roboflow_core/roboflow_dataset_upload@v1",
      "roboflow_core/roboflow_dataset_upload@v2",
      "roboflow_core/roboflow_custom_metadata@v1",
      "roboflow_core/model_monitoring_inference_aggregator@v1",
      "roboflow_core/roboflow_vision_events@v1",
      "roboflow_core/vision_event_bundle@v1",
      "roboflow_core/asset_library_attributes@v1",
      "roboflow_core/onvif_sink@v1",
    ]);
    for (const { manifest } of platformSinkBlocks) {
      expect(manifest.description, manifest.type).toContain("Service unavailable here");
      expect(manifest.family).toBe("sinks");
    }
  });

  it("compile with Roboflow's fields and aliases; their literal choices are checked", () => {
    expect(() => engine.compile(definition(STEPS, OUTPUTS))).not.toThrow();
    const withEvent = (event_type: string) => definition([{ ...STEPS[2], event_type }], []);
    expect(() => engine.compile(withEvent("fire"))).toThrow(WorkflowError);
    const withFrequency = (labeling_batches_recreation_frequency: string) => definition([{ ...STEPS[1], labeling_batches_recreation_frequency }], []);
    expect(() => engine.compile(withFrequency("hourly"))).toThrow(WorkflowError);
    // required fields are required
    expect(() => engine.compile(definition([{ type: "roboflow_core/roboflow_dataset_upload@v2", name: "u", images: "$inputs.image", target_project: "p" }], []))).toThrow(/usage_quota_name/);
  });

  it("each run reaching one is a 501 service_unavailable naming the step, the block and what it needs", async () => {
    const image = { type: "base64", value: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==" };
    for (const step of STEPS) {
      const error = await engine.run(definition([step], []), { image, project: "p", tags: ["x"] }).catch((e: unknown) => e);
      expect(error, step.name).toBeInstanceOf(WorkflowError);
      expect(error, step.name).toMatchObject({ code: "service_unavailable", status: 501, details: { step: step.name } });
      expect((error as WorkflowError).message).toMatch(/needs the Roboflow platform \(.+\), which cvflow does not have/);
    }
  });

  it("the prediction-only blocks (custom metadata, model monitoring, ONVIF) refuse the same way", () => {
    const predictions = detections([[10, 10, 50, 50, 0.9, 0, "person"]]);
    const byType = new Map(platformSinkBlocks.map((b) => [b.manifest.type, b]));
    const cases: [string, string][] = [
      ["roboflow_core/roboflow_custom_metadata@v1", "Roboflow platform (Model Monitoring)"],
      ["roboflow_core/model_monitoring_inference_aggregator@v1", "Roboflow platform (Model Monitoring)"],
      ["roboflow_core/onvif_sink@v1", "an ONVIF camera reachable from the server"],
    ];
    for (const [type, needs] of cases) {
      const block = byType.get(type)!;
      let caught: unknown;
      try {
        if (block.runBatch) throw new Error("platform sinks run per element");
        void block.run({ predictions }, ctx);
      } catch (error) {
        caught = error;
      }
      expect(caught, type).toMatchObject({ code: "service_unavailable", status: 501, details: { block: type } });
      expect((caught as Error).message).toContain(needs);
    }
  });
});
