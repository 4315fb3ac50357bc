/**
 * Roboflow's "SIFT in Workflows" gallery workflow (tests/workflows/integration_tests/execution/
 * test_workflow_with_sift.py) through the whole engine: SIFT of a batch of images and of one template
 * (dogs.jpg turned 180°), compared (v1), a missing comparison defaulted, an expression naming the outcome.
 * Roboflow expects: crowd.jpg NO MATCH, dogs.jpg MATCH, a black 256 x 256 image (no keypoints) NO MATCH.
 */
import { describe, expect, it } from "vitest";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo } from "./image-fixtures.js";

const WORKFLOW_WITH_SIFT = {
  version: "1.0",
  inputs: [
    { type: "InferenceImage", name: "image" },
    { type: "InferenceImage", name: "template" },
  ],
  steps: [
    { type: "roboflow_core/sift@v1", name: "image_sift", image: "$inputs.image" },
    { type: "roboflow_core/sift@v1", name: "template_sift", image: "$inputs.template" },
    {
      type: "roboflow_core/sift_comparison@v1",
      name: "sift_comparison",
      descriptor_1: "$steps.image_sift.descriptors",
      descriptor_2: "$steps.template_sift.descriptors",
      good_matches_threshold: 50,
    },
    { type: "roboflow_core/first_non_empty_or_default@v1", name: "empty_values_replacement", data: ["$steps.sift_comparison.images_match"], default: false },
    {
      type: "roboflow_core/expression@v1",
      name: "is_match_expression",
      data: { images_match: "$steps.empty_values_replacement.output" },
      switch: {
        type: "CasesDefinition",
        cases: [
          {
            type: "CaseDefinition",
            condition: {
              type: "StatementGroup",
              statements: [{ type: "UnaryStatement", operand: { type: "DynamicOperand", operand_name: "images_match" }, operator: { type: "(Boolean) is True" } }],
            },
            result: { type: "StaticCaseResult", value: "MATCH" },
          },
        ],
        default: { type: "StaticCaseResult", value: "NO MATCH" },
      },
    },
  ],
  outputs: [{ type: "JsonField", name: "result", coordinates_system: "own", selector: "$steps.is_match_expression.output" }],
};

describe.skipIf(missing("SIFT workflow", { photos: ["roboflow/dogs.jpg", "roboflow/crowd.jpg"] }))("Roboflow's SIFT workflow", () => {
  it("matches dogs.jpg with its upside-down template, not crowd.jpg nor a black image", { timeout: 60_000 }, async () => {
    const dogs = await photo("roboflow/dogs.jpg", "dogs");
    const crowd = await photo("roboflow/crowd.jpg", "crowd");
    const black = new WorkflowImage({ data: new Uint8Array(256 * 256 * 3), width: 256, height: 256, channels: 3 }, inputLineage("black"));
    const { data, width, height } = dogs.pixels;
    const flipped = new Uint8Array(data.length);
    for (let i = 0, n = width * height; i < n; i++) flipped.set(data.subarray(i * 3, i * 3 + 3), (n - 1 - i) * 3);
    const template = new WorkflowImage({ data: flipped, width, height, channels: 3 }, inputLineage("template"));
    const run = await createWorkflowEngine().run(WORKFLOW_WITH_SIFT, { image: [crowd, dogs, black], template }, { serialize: false });
    expect(run.outputs).toEqual([{ result: "NO MATCH" }, { result: "MATCH" }, { result: "NO MATCH" }]);
  });
});
