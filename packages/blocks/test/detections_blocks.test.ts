import { DETECTION_KINDS, Detections } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { detectionsFilterBlock } from "../src/transformations/detections_filter.js";
import { detectionsTransformationBlock } from "../src/transformations/detections_transformation.js";
import { boxes, ctx, detections, expectWorkflowError } from "./fixtures.js";

type Params = Parameters<typeof detectionsFilterBlock.run>[0];

const crowd = detections([
  [180, 273, 244, 383, 0.84, 0, "person"], // 7040 px²
  [271, 266, 328, 383, 0.83, 0, "person"], // 6669 px²
  [247, 251, 262, 284, 0.54, 0, "person"], // 495 px²
  [100, 100, 200, 200, 0.9, 2, "car"],
]);

/** Roboflow's filter: persons whose box covers at least 2% of the image. */
const personsOverTwoPercent = [
  {
    type: "DetectionsFilter",
    filter_operation: {
      type: "StatementGroup",
      operator: "and",
      statements: [
        {
          type: "BinaryStatement",
          left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "class_name" }] },
          comparator: { type: "in (Sequence)" },
          right_operand: { type: "DynamicOperand", operand_name: "classes" },
        },
        {
          type: "BinaryStatement",
          left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "size" }] },
          comparator: { type: "(Number) >=" },
          right_operand: {
            type: "DynamicOperand",
            operand_name: "image",
            operations: [
              { type: "ExtractImageProperty", property_name: "size" },
              { type: "Multiply", other: 0.02 },
            ],
          },
        },
      ],
    },
  },
];

const image = { width: 640, height: 480 }; // 2% is 6144 px²

describe.each([
  ["Detections Filter", detectionsFilterBlock, "roboflow_core/detections_filter@v1", "DetectionsFilter"],
  ["Detections Transformation", detectionsTransformationBlock, "roboflow_core/detections_transformation@v1", "DetectionsTransformation"],
])("%s block", (_, block, type, alias) => {
  const run = (predictions: unknown, operations: unknown[], operations_parameters: Record<string, unknown> = {}) =>
    block.run({ predictions, operations, operations_parameters } as Params, ctx) as { predictions: Detections };

  it("declares Roboflow's ids, fields and the same detection kinds in and out", () => {
    expect([block.manifest.type, ...(block.manifest.aliases ?? [])]).toEqual([type, alias]);
    expect(Object.keys(block.manifest.fields)).toEqual(["predictions", "operations", "operations_parameters"]);
    expect(block.manifest.fields["predictions"]!.kinds).toEqual(DETECTION_KINDS);
    expect(block.manifest.outputs).toEqual([{ name: "predictions", kinds: DETECTION_KINDS }]);
  });

  it("filters with operations_parameters as named values", () => {
    const { predictions } = run(crowd, personsOverTwoPercent, { image, classes: ["person"] });
    expect(boxes(predictions)).toEqual([
      [180, 273, 244, 383],
      [271, 266, 328, 383],
    ]);
    expect([...predictions.confidence]).toEqual([0.84, 0.83]);
    expect(predictions.detectionId).toEqual(["d0", "d1"]);
  });

  it("a missing parameter is an evaluation error, as in Roboflow ('in (Sequence)' against None)", () => {
    expectWorkflowError(() => run(crowd, personsOverTwoPercent, { image, classes: null }), "evaluation_error", "in (Sequence)");
  });

  it("applies any chain that keeps detections", () => {
    const { predictions } = run(crowd, [{ type: "DetectionsSelection", mode: "top_confidence" }, { type: "DetectionsOffset", offset_x: 10, offset_y: 20 }]);
    expect(boxes(predictions)).toEqual([[95, 90, 205, 210]]);
    expect(run(crowd, []).predictions).toBe(crowd);
  });

  it("refuses a chain that turns detections into something else", () => {
    expectWorkflowError(() => run(crowd, [{ type: "SequenceLength" }]), "invalid_operation_output", "they produce int");
  });

  it("reserves the parameter name `_` for the filtered detection", () => {
    expect(block.validate!({ operations_parameters: { _: "$inputs.x" } })).toEqual([
      { code: "invalid_field", property: "operations_parameters", message: 'the parameter name "_" is reserved for the detection being filtered' },
    ]);
    expect(block.validate!({ operations_parameters: { x: 1 } })).toEqual([]);
    expectWorkflowError(() => run(crowd, [], { _: 1 }), "invalid_field", '"_"');
  });
});
