/**
 * Stateful blocks and what a video job may cache: every block whose source reaches the run's
 * video state (stepState, or services.videoState) says `stateful: true` in its manifest — so a new
 * one cannot be cached per segment by mistake — and replayableSteps keeps exactly the steps whose
 * per-frame output depends on the frame alone (not stateful, no image output, replayable inputs).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { replayableSteps } from "@cvflow/engine";
import { coreBlocks } from "../src/index.js";
import { createWorkflowEngine } from "../src/runtime.js";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("stateful flag", () => {
  it("every manifest in a source that uses the video state says stateful: true", () => {
    const users = sources(SRC).filter((file) => !file.endsWith("step-state.ts") && /\bstepState\b|services\.videoState/.test(readFileSync(file, "utf8")));
    expect(users.length).toBeGreaterThanOrEqual(19);
    for (const file of users) {
      const text = readFileSync(file, "utf8");
      const manifests = text.match(/manifest: \{/g)?.length ?? 0;
      expect({ file, flagged: text.match(/^\s*stateful: true,$/gm)?.length ?? 0 }).toEqual({ file, flagged: manifests });
    }
  });

  it("the registry's trackers, counters and zones are stateful; models and filters are not", () => {
    const flag = new Map(coreBlocks.map((block) => [block.manifest.type, block.manifest.stateful === true]));
    for (const type of ["roboflow_core/byte_tracker@v3", "roboflow_core/line_counter@v2", "roboflow_core/time_in_zone@v3", "roboflow_core/trace_visualization@v1"]) expect([type, flag.get(type)]).toEqual([type, true]);
    for (const type of ["roboflow_core/roboflow_object_detection_model@v2", "roboflow_core/detections_filter@v1", "roboflow_core/label_visualization@v1"]) expect([type, flag.get(type)]).toEqual([type, false]);
  });
});

describe("replayableSteps", () => {
  const engine = createWorkflowEngine();
  const plan = engine.compile({
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }],
    steps: [
      { type: "roboflow_core/roboflow_object_detection_model@v2", name: "model", images: "$inputs.image", model_id: "yolov8n-640" },
      { type: "roboflow_core/detections_filter@v1", name: "people", predictions: "$steps.model.predictions", operations: [{ type: "DetectionsFilter", filter_operation: { type: "StatementGroup", statements: [{ type: "BinaryStatement", left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "class_name" }] }, comparator: { type: "==" }, right_operand: { type: "StaticOperand", value: "person" } }] } }] },
      { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$steps.people.predictions" },
      { type: "roboflow_core/detections_filter@v1", name: "tracked_people", predictions: "$steps.tracker.tracked_detections", operations: [] },
      { type: "roboflow_core/dynamic_crop@v1", name: "crops", images: "$inputs.image", predictions: "$steps.people.predictions" },
      { type: "roboflow_core/roboflow_classification_model@v2", name: "classifier", images: "$steps.crops.crops", model_id: "yolov8n-cls-224" },
      { type: "roboflow_core/label_visualization@v1", name: "labels", image: "$inputs.image", predictions: "$steps.people.predictions" },
    ],
    outputs: [
      { type: "JsonField", name: "tracked", selector: "$steps.tracked_people.predictions" },
      { type: "JsonField", name: "classes", selector: "$steps.classifier.predictions" },
      { type: "JsonField", name: "labels", selector: "$steps.labels.image" },
    ],
  });

  it("keeps the model and what follows from it alone; leaves out stateful steps, image outputs and what depends on them", () => {
    expect([...replayableSteps(plan)].sort()).toEqual(["model", "people"]);
  });

  it("keeps a flow-control step only with every step it may enable", () => {
    const gated = (target: Record<string, unknown>) =>
      engine.compile({
        version: "1.0",
        inputs: [{ type: "WorkflowImage", name: "image" }],
        steps: [
          { type: "roboflow_core/roboflow_object_detection_model@v2", name: "model", images: "$inputs.image", model_id: "yolov8n-640" },
          { type: "roboflow_core/continue_if@v1", name: "if_any", condition_statement: { type: "StatementGroup", statements: [{ type: "BinaryStatement", left_operand: { type: "DynamicOperand", operand_name: "d", operations: [{ type: "SequenceLength" }] }, comparator: { type: "(Number) >" }, right_operand: { type: "StaticOperand", value: 0 } }] }, evaluation_parameters: { d: "$steps.model.predictions" }, next_steps: ["$steps.next"] },
          { name: "next", ...target },
        ],
        outputs: [{ type: "JsonField", name: "out", selector: "$steps.next.*" }],
      });
    const filter = { type: "roboflow_core/detections_filter@v1", predictions: "$steps.model.predictions", operations: [] };
    const tracker = { type: "roboflow_core/byte_tracker@v3", image: "$inputs.image", detections: "$steps.model.predictions" };
    expect([...replayableSteps(gated(filter))].sort()).toEqual(["if_any", "model", "next"]);
    expect([...replayableSteps(gated(tracker))].sort()).toEqual(["model"]);
  });
});
