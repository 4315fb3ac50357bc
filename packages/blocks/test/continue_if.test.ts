import { describe, expect, it } from "vitest";
import { continueIfBlock } from "../src/flow_control/continue_if.js";
import { ctx, expectWorkflowError } from "./fixtures.js";

const equalsOne = {
  type: "StatementGroup",
  statements: [
    {
      type: "BinaryStatement",
      left_operand: { type: "DynamicOperand", operand_name: "left" },
      comparator: { type: "(Number) ==" },
      right_operand: { type: "StaticOperand", value: 1 },
    },
  ],
};

const run = (evaluation_parameters: Record<string, unknown>, next_steps = ["$steps.first_expression", "$steps.second_expression"]) =>
  continueIfBlock.run({ condition_statement: equalsOne, evaluation_parameters, next_steps }, ctx);

describe("Continue If block", () => {
  it("declares Roboflow's ids and fields; it is flow control with no outputs", () => {
    const { manifest } = continueIfBlock;
    expect([manifest.type, ...(manifest.aliases ?? [])]).toEqual(["roboflow_core/continue_if@v1", "ContinueIf"]);
    expect(manifest.flowControl).toBe(true);
    expect(Object.keys(manifest.fields)).toEqual(["condition_statement", "evaluation_parameters", "next_steps"]);
    expect(manifest.fields["next_steps"]).toMatchObject({ steps: true, shape: "list", required: true });
    expect(manifest.fields["evaluation_parameters"]).toMatchObject({ shape: "dict", default: {} });
    expect(manifest.outputs).toEqual([]);
  });

  it("continues to every next step when the condition holds, to none otherwise", () => {
    expect(run({ left: 1 })).toEqual({ next: ["$steps.first_expression", "$steps.second_expression"] });
    expect(run({ left: 0 })).toEqual({ next: [] });
    expect(run({ left: true })).toEqual({ next: ["$steps.first_expression", "$steps.second_expression"] });
  });

  it("with no next steps it stops without evaluating", () => {
    expect(run({}, [])).toEqual({ next: [] });
  });

  it("a name the condition needs but the parameters lack is an error", () => {
    expectWorkflowError(() => run({ right: 1 }), "undeclared_symbol", "/condition_statement/statements/0/left_operand/operand_name", '"left"');
  });
});
