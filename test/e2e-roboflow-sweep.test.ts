/**
 * Differences found by running the workflows of Roboflow's own integration tests through cvflow
 * (its tests/workflows/integration_tests/execution at 3bb973b5), each as a minimal workflow run
 * over real HTTP against the local stack: output names, custom Python blocks, and the keys of
 * a detection on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { missing } from "@cvflow/vision/test-assets";
import { runInline, testStack } from "./local-stack.js";
import { photo, plainJpeg } from "./vision-fixtures.js";

let stack: LocalStack;
let image: { type: "base64"; value: string };

beforeAll(async () => {
  stack = await testStack();
  image = await plainJpeg();
});
afterAll(() => stack?.close());

const run = (specification: unknown, inputs: Record<string, unknown>) => runInline(stack, specification, inputs);

/** The keys Roboflow's serializer writes for a plain box (serialise_sv_detections), no more. */
const ROBOFLOW_BOX_KEYS = ["class", "class_id", "confidence", "detection_id", "height", "parent_id", "width", "x", "y"];

describe("Roboflow's definitions over HTTP", () => {
  it("an output may be named with any characters, as Roboflow's JsonField.name", async () => {
    const specification = {
      version: "1.0",
      inputs: [{ type: "WorkflowParameter", name: "x" }],
      steps: [],
      outputs: [{ type: "JsonField", name: "Plate text (v2) / café", selector: "$inputs.x" }],
    };
    const response = await run(specification, { x: "AB-123" });
    expect(response.status).toBe(200);
    expect(response.body.outputs).toEqual([{ "Plate text (v2) / café": "AB-123" }]);
  });

  it("custom Python blocks are refused with an issue that names them, before the unknown step types", async () => {
    const specification = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      dynamic_blocks_definitions: [
        {
          type: "DynamicBlockDefinition",
          manifest: { type: "ManifestDescription", block_type: "MaxConfidence", inputs: {}, outputs: {} },
          code: { type: "PythonCode", run_function_code: "def run(self, predictions):\n    return {}\n" },
        },
      ],
      steps: [{ type: "MaxConfidence", name: "max", predictions: "$inputs.image" }],
      outputs: [{ type: "JsonField", name: "m", selector: "$steps.max.max_confidence" }],
    };
    const response = await run(specification, { image });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_workflow");
    expect(response.body.error.details.errors.map((e: { code: string; pointer: string }) => [e.code, e.pointer])).toEqual([
      ["custom_python_blocks_unsupported", "/dynamic_blocks_definitions"],
      ["unknown_block_type", "/steps/0/type"],
    ]);
    expect(response.body.error.message).toContain("Custom Python blocks (dynamic_blocks_definitions) are not supported here");
  });
});

describe.skipIf(missing("the keys of a model's detections over HTTP", { models: ["yolov8n-640"], photos: ["roboflow/dogs.jpg"] }))(
  "the keys of a model's detections over HTTP",
  () => {
    it("each prediction has Roboflow's keys and no prediction_type; the query language still reads it", async () => {
      const specification = {
        version: "1.0",
        inputs: [{ type: "WorkflowImage", name: "image" }],
        steps: [
          { type: "roboflow_core/roboflow_object_detection_model@v2", name: "model", images: "$inputs.image", model_id: "yolov8n-640" },
          {
            type: "roboflow_core/property_definition@v1",
            name: "types",
            data: "$steps.model.predictions",
            operations: [{ type: "DetectionsPropertyExtract", property_name: "prediction_type" }],
          },
        ],
        outputs: [
          { type: "JsonField", name: "predictions", selector: "$steps.model.predictions" },
          { type: "JsonField", name: "types", selector: "$steps.types.output" },
        ],
      };
      const response = await run(specification, { image: photo("roboflow/dogs.jpg") });
      expect(response.status).toBe(200);
      const [out] = response.body.outputs;
      const predictions = out.predictions.predictions as Record<string, unknown>[];
      expect(predictions.length).toBeGreaterThanOrEqual(2);
      for (const p of predictions) expect(Object.keys(p).sort()).toEqual(ROBOFLOW_BOX_KEYS);
      expect(out.types).toEqual(predictions.map(() => "object-detection"));
    });
  },
);
