import { validateJson } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { expressionBlock } from "../src/formatters/expression.js";
import { ctx, detections, expectWorkflowError } from "./fixtures.js";

type Params = Parameters<typeof expressionBlock.run>[0];

const isEmpty = (name: string, operator = "(Sequence) is empty") => ({
  type: "StatementGroup",
  statements: [{ type: "UnaryStatement", operand: { type: "DynamicOperand", operand_name: name }, operator: { type: operator } }],
});

const caseOf = (condition: object, result: object) => ({ type: "CaseDefinition", condition, result });
const staticResult = (value: unknown) => ({ type: "StaticCaseResult", value });

function run(data: Record<string, unknown>, switchDefinition: object, data_operations = {}) {
  return expressionBlock.run({ data, data_operations, switch: switchDefinition } as Params, ctx);
}

describe("Expression block", () => {
  it("declares Roboflow's ids, fields and output", () => {
    const { manifest } = expressionBlock;
    expect([manifest.type, ...(manifest.aliases ?? [])]).toEqual(["roboflow_core/expression@v1", "Expression"]);
    expect(Object.keys(manifest.fields)).toEqual(["data", "data_operations", "switch"]);
    expect(manifest.outputs).toEqual([{ name: "output", kinds: ["*"] }]);
  });

  it("gives the default without cases", () => {
    expect(run({}, { type: "CasesDefinition", cases: [], default: staticResult("static-value") })).toEqual({ output: "static-value" });
  });

  it("gives the default when no case holds, else the first case that holds", () => {
    const cases = {
      type: "CasesDefinition",
      cases: [
        caseOf(isEmpty("input_list"), staticResult("not-matching")),
        caseOf(isEmpty("input_list", "(Sequence) is not empty"), staticResult("first-matching")),
        caseOf(isEmpty("input_list", "(Sequence) is not empty"), staticResult("second-matching")),
      ],
      default: staticResult("default"),
    };
    expect(run({ input_list: [1, 2] }, cases)).toEqual({ output: "first-matching" });
    expect(run({ input_list: [] }, cases)).toEqual({ output: "not-matching" });
    expect(run({ input_list: [1] }, { ...cases, cases: [cases.cases[0]] })).toEqual({ output: "default" });
  });

  it("applies data operations before the cases, and a dynamic result's operations after", () => {
    const cases = {
      type: "CasesDefinition",
      cases: [
        caseOf(isEmpty("input_list", "(Sequence) is not empty"), {
          type: "DynamicCaseResult",
          parameter_name: "additional_param",
          operations: [{ type: "LookupTable", lookup_table: { SOME: "MUTATED" } }],
        }),
      ],
      default: staticResult("default"),
    };
    const data_operations = { additional_param: [{ type: "StringToUpperCase" }] };
    expect(run({ input_list: [1, 2], additional_param: "some" }, cases, data_operations)).toEqual({ output: "MUTATED" });
    const plain = { ...cases, cases: [caseOf(cases.cases[0]!.condition, { type: "DynamicCaseResult", parameter_name: "additional_param" })] };
    expect(run({ input_list: [1, 2], additional_param: "some" }, plain, data_operations)).toEqual({ output: "SOME" });
  });

  it("a dynamic result's operations can read the other variables by name", () => {
    const cases = {
      type: "CasesDefinition",
      cases: [],
      default: {
        type: "DynamicCaseResult",
        parameter_name: "predictions",
        operations: [{ type: "DetectionsRename", class_map: "mapping" }, { type: "DetectionsPropertyExtract", property_name: "class_name" }],
      },
    };
    const predictions = detections([[0, 0, 1, 1, 0.5, 0, "dog"]]);
    expect(run({ predictions, mapping: { dog: "animal" } }, cases)).toEqual({ output: ["animal"] });
  });

  it("compares lists of class names with == (Roboflow's property-extraction workflow)", () => {
    const cases = {
      type: "CasesDefinition",
      cases: [
        caseOf(
          {
            type: "StatementGroup",
            statements: [
              {
                type: "BinaryStatement",
                left_operand: { type: "DynamicOperand", operand_name: "class_names" },
                comparator: { type: "==" },
                right_operand: { type: "DynamicOperand", operand_name: "reference" },
              },
            ],
          },
          staticResult("PASS"),
        ),
      ],
      default: staticResult("FAIL"),
    };
    expect(run({ class_names: ["dog", "dog"], reference: ["dog", "dog"] }, cases)).toEqual({ output: "PASS" });
    expect(run({ class_names: Array(12).fill("person"), reference: ["dog", "dog"] }, cases)).toEqual({ output: "FAIL" });
  });

  it("fails with the query language's errors", () => {
    const cases = { type: "CasesDefinition", cases: [caseOf(isEmpty("input_list"), staticResult("some"))], default: staticResult("default") };
    expectWorkflowError(() => run({ input_list: 1 }, cases), "evaluation_error", "/switch/cases/0/condition/statements/0/operator");
    expectWorkflowError(() => run({ input_list: [] }, cases, { missing: [{ type: "StringToUpperCase" }] }), "undeclared_symbol", '"missing"', "/data_operations/missing");
    expectWorkflowError(() => run({ other: 1 }, cases), "undeclared_symbol", '"input_list"');
    const dynamicDefault = { ...cases, cases: [], default: { type: "DynamicCaseResult", parameter_name: "absent" } };
    expectWorkflowError(() => run({ input_list: [] }, dynamicDefault), "undeclared_symbol", "/switch/default/parameter_name");
  });

  it("validates the switch schema and operations for names data lacks", () => {
    const schema = expressionBlock.manifest.fields["switch"]!.schema!;
    expect(validateJson({ type: "CasesDefinition", cases: [] }, schema, "/switch")).toEqual([{ pointer: "/switch/default", message: '"default" is required' }]);
    expect(validateJson({ type: "CasesDefinition", cases: [{ type: "CaseDefinition", condition: isEmpty("x"), result: { type: "Result" } }], default: staticResult(1) }, schema)).toEqual([
      { pointer: "/cases/0/result/type", message: 'unknown type "Result"; expected one of "StaticCaseResult", "DynamicCaseResult"' },
    ]);
    expect(expressionBlock.validate!({ data: { a: "$inputs.a" }, data_operations: { a: [], b: [] } })).toEqual([
      { code: "undeclared_symbol", property: "data_operations", message: '"data_operations" transforms "b", which "data" does not define (it defines: a)' },
    ]);
    expect(expressionBlock.validate!({ data: "garbage", data_operations: 3 })).toEqual([]);
  });
});
