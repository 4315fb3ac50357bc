/**
 * Output shapes as the grammar's reference engine builds them, over real HTTP against the local
 * stack, each from a minimal definition of a case Roboflow's integration tests exercise: a null
 * element of a batch input, steps skipped by flow control (at the output's level, below it, as a
 * wildcard) and a collapsed top-level batch. Images are made here, so nothing shared is needed.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { call, testStack } from "./local-stack.js";

let stack: LocalStack;
let wide: { type: "base64"; value: string };
let small: { type: "base64"; value: string };

const png = async (width: number, height: number) => ({
  type: "base64" as const,
  value: (await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer()).toString("base64"),
});

beforeAll(async () => {
  stack = await testStack();
  [wide, small] = await Promise.all([png(64, 48), png(32, 24)]);
});
afterAll(() => stack?.close());

const run = (specification: unknown, inputs: unknown, extra: Record<string, unknown> = {}) => call(stack, "POST", "/workflows/run", { body: { specification, inputs, ...extra } });
const width = (data: string) => ({
  type: "roboflow_core/property_definition@v1",
  name: "width",
  data,
  operations: [{ type: "ExtractImageProperty", property_name: "width" }],
});

describe("output shapes over HTTP", () => {
  it("a null element of a batch of images, nested or not, is an empty element whose outputs are null", async () => {
    const nested = {
      version: "1.0",
      inputs: [{ type: "WorkflowBatchInput", name: "crops", kind: ["image"], dimensionality: 2 }],
      steps: [width("$inputs.crops")],
      outputs: [{ type: "JsonField", name: "width", selector: "$steps.width.output" }],
    };
    const response = await run(nested, { crops: [[wide, null], [null, small]] });
    expect([response.status, response.body.outputs]).toEqual([200, [{ width: [64, null] }, { width: [null, 32] }]]);

    const flat = { ...nested, inputs: [{ type: "WorkflowImage", name: "crops" }] };
    const flatResponse = await run(flat, { crops: [wide, null] });
    expect([flatResponse.status, flatResponse.body.outputs]).toEqual([200, [{ width: 64 }, { width: null }]]);
  });

  it("a step skipped by flow control: null at its level, [] for its slices, every output null for its wildcard", async () => {
    const gated = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        {
          type: "ContinueIf",
          name: "only_wide",
          condition_statement: {
            type: "StatementGroup",
            statements: [{
              type: "BinaryStatement",
              left_operand: { type: "DynamicOperand", operand_name: "image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
              comparator: { type: "(Number) ==" },
              right_operand: { type: "StaticOperand", value: 64 },
            }],
          },
          evaluation_parameters: { image: "$inputs.image" },
          next_steps: ["$steps.slicer", "$steps.gray"],
        },
        { type: "roboflow_core/image_slicer@v1", name: "slicer", image: "$inputs.image", slice_width: 32, slice_height: 24, overlap_ratio_width: 0, overlap_ratio_height: 0 },
        { type: "roboflow_core/convert_grayscale@v1", name: "gray", image: "$inputs.image" },
        width("$steps.slicer.slices"),
      ],
      outputs: [
        { type: "JsonField", name: "slices", selector: "$steps.slicer.slices" },
        { type: "JsonField", name: "slice_widths", selector: "$steps.width.output" },
        { type: "JsonField", name: "gray", selector: "$steps.gray.image" },
        { type: "JsonField", name: "gray_all", selector: "$steps.gray.*" },
      ],
    };
    const response = await run(gated, { image: [wide, small] });
    expect(response.status).toBe(200);
    const [ran, skipped] = response.body.outputs;
    expect(ran.slices.map((s: { type: string }) => s.type)).toEqual(["base64", "base64", "base64", "base64"]);
    expect(ran.slice_widths).toEqual([32, 32, 32, 32]);
    expect(ran.gray.type).toBe("base64");
    expect(Object.keys(ran.gray_all)).toEqual(["image"]);
    expect(skipped).toEqual({ slices: [], slice_widths: [], gray: null, gray_all: { image: null } });
  });

  it("DimensionCollapse of a top-level batch gives one result, however many elements and excluded fields", async () => {
    const collapse = {
      version: "1.0",
      inputs: [{ type: "WorkflowBatchInput", name: "x" }],
      steps: [{ type: "DimensionCollapse", name: "collapse", data: "$inputs.x" }],
      outputs: [{ type: "JsonField", name: "collapsed", selector: "$steps.collapse.output" }],
    };
    const response = await run(collapse, { x: [1, 2] });
    expect([response.status, response.body.outputs]).toEqual([200, [{ collapsed: [1, 2] }]]);
    // A null element is empty: left out of what is gathered.
    const withNull = await run(collapse, { x: [1, null, 2] });
    expect([withNull.status, withNull.body.outputs]).toEqual([200, [{ collapsed: [1, 2] }]]);

    // With an output indexed by the batch as well, one result per element, even when that output is excluded.
    const both = { ...collapse, outputs: [...collapse.outputs, { type: "JsonField", name: "x", selector: "$inputs.x" }] };
    const excluded = await run(both, { x: [1, 2, 3] }, { excluded_fields: ["x"] });
    expect([excluded.status, excluded.body.outputs]).toEqual([200, [{ collapsed: [1, 2, 3] }, { collapsed: [1, 2, 3] }, { collapsed: [1, 2, 3] }]]);
  });
});
