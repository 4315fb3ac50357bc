import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, WorkflowError } from "@cvflow/engine";
import { keypointDetectionModelV1Block, keypointDetectionModelV3Block } from "../src/models/keypoint_detection.js";
import { missing } from "@cvflow/vision/test-assets";
import { example, realModels } from "./model-fixtures.js";

describe.skipIf(missing("Keypoint Detection Model blocks", { models: ["yolov8n-640"] }))("Keypoint Detection Model blocks", () => {
  it("compile, and running one is a 400 that says no keypoint model exists and lists the models there are", async () => {
    const engine = new WorkflowEngine({
      registry: new BlockRegistry([keypointDetectionModelV1Block, keypointDetectionModelV3Block]),
      services: { models: realModels() },
    });
    const definition = {
      version: "1.0",
      inputs: [{ type: "InferenceImage", name: "image" }],
      steps: [
        { type: "roboflow_core/roboflow_keypoint_detection_model@v3", name: "pose", images: "$inputs.image", model_id: "yolov8n-pose-640" },
        { type: "KeypointsDetectionModel", name: "legacy", image: "$inputs.image", model_id: "yolov8n-pose-640" },
      ],
      outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.pose.predictions" }],
    };
    expect(() => engine.compile(definition)).not.toThrow();
    const error = await engine.run(definition, { image: await example("dog.jpg") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: "model_unavailable", status: 400 });
    expect((error as WorkflowError).message).toContain("No keypoint detection model");
    expect((error as WorkflowError).message).toContain("yolov8n-640 (object-detection)");
  });
});

describe("Keypoint Detection Model manifests", () => {
  it("match Roboflow's ids, aliases and defaults", () => {
    expect(keypointDetectionModelV1Block.manifest.aliases).toEqual(["RoboflowKeypointDetectionModel", "KeypointsDetectionModel"]);
    expect(keypointDetectionModelV1Block.manifest.fields["keypoint_confidence"]!.default).toBe(0);
    expect(keypointDetectionModelV3Block.manifest.fields["confidence_mode"]!.default).toBe("default");
    expect(keypointDetectionModelV3Block.manifest.outputs.map((o) => o.name)).toEqual(["inference_id", "predictions", "model_id"]);
  });
});
