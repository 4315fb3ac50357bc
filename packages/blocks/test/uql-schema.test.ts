import { schemaDefs, validateJson } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { compileOperations, compileStatement, OPERATIONS, operationsListSchema, statementGroupRef } from "../src/uql/index.js";
import { expectWorkflowError } from "./fixtures.js";

const filter = (statement: unknown) => [
  { type: "DetectionsFilter", filter_operation: { type: "StatementGroup", statements: [statement] } },
];

describe("operation schemas", () => {
  it("are registered under one $defs entry each, tagged by type", () => {
    const defs = schemaDefs.toJSON();
    for (const type of OPERATIONS.keys()) expect(defs[`Uql${type}`]?.properties?.["type"]).toEqual({ const: type });
    expect(defs["UqlOperation"]?.oneOf).toHaveLength(OPERATIONS.size);
  });

  it("accept Roboflow's definitions, with optional fields left out", () => {
    const definitions = [
      { type: "DetectionsPropertyExtract", property_name: "class_name" },
      { type: "SequenceApply", operations: [{ type: "StringToUpperCase" }, { type: "LookupTable", lookup_table: { A: 1 } }] },
      { type: "NumericSequenceAggregate", function: "max" },
      { type: "SortDetections", mode: "confidence" },
      { type: "DetectionsRename", class_map: "$param_name_is_fine" },
      { type: "StringSubSequence" },
      { type: "SequenceJoin" },
      { type: "RandomNumber" },
      ...filter({
        type: "BinaryStatement",
        left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "class_name" }] },
        comparator: { type: "in (Sequence)" },
        right_operand: { type: "DynamicOperand", operand_name: "classes" },
      }),
    ];
    expect(validateJson(definitions, operationsListSchema)).toEqual([]);
  });

  it("accept fields Roboflow ignores", () => {
    expect(validateJson([{ type: "SequenceLength", comment: "kept for the UI" }], operationsListSchema)).toEqual([]);
  });

  it.each<[unknown, string, string]>([
    [[{ type: "Nope" }], "/0/type", 'unknown type "Nope"; expected one of "StringToLowerCase"'],
    [["SequenceLength"], "/0", 'expected object, got "SequenceLength"'],
    [[{ property_name: "x" }], "/0/type", "unknown type undefined"],
    [[{ type: "LookupTable" }], "/0/lookup_table", '"lookup_table" is required'],
    [[{ type: "LookupTable", lookup_table: [] }], "/0/lookup_table", "expected object"],
    [[{ type: "DetectionsPropertyExtract", property_name: "colour" }], "/0/property_name", 'expected one of "confidence"'],
    [[{ type: "ToNumber", cast_to: "double" }], "/0/cast_to", 'expected one of "int", "float", got "double"'],
    [[{ type: "NumberRound", decimal_digits: 1.5 }], "/0/decimal_digits", "expected integer, got 1.5"],
    [[{ type: "SequenceApply", operations: [{ type: "Bad" }] }], "/0/operations/0/type", 'unknown type "Bad"'],
    [[{ type: "SortDetections", mode: "confidence", ascending: "yes" }], "/0/ascending", "expected boolean"],
    [filter({ type: "BinaryStatement", left_operand: { type: "DynamicOperand" }, comparator: { type: "~=" }, right_operand: { type: "StaticOperand", value: 1 } }), "/0/filter_operation/statements/0/comparator/type", 'expected one of "=="'],
    [filter({ type: "BinaryStatement", left_operand: { type: "Operand" }, comparator: { type: "==" }, right_operand: { type: "StaticOperand", value: 1 } }), "/0/filter_operation/statements/0/left_operand/type", 'unknown type "Operand"; expected one of "StaticOperand", "DynamicOperand"'],
    [filter({ type: "BinaryStatement", left_operand: { type: "DynamicOperand" }, comparator: { type: "==" }, right_operand: { type: "StaticOperand" } }), "/0/filter_operation/statements/0/right_operand/value", '"value" is required'],
    [filter({ type: "UnaryStatement", operand: { type: "DynamicOperand" }, operator: { type: "Exists" }, negate: "no" }), "/0/filter_operation/statements/0/negate", "expected boolean"],
    [filter({ type: "Statement" }), "/0/filter_operation/statements/0/type", 'unknown type "Statement"; expected one of "BinaryStatement", "UnaryStatement", "StatementGroup"'],
    [[{ type: "DetectionsFilter", filter_operation: { type: "StatementGroup", statements: [] } }], "/0/filter_operation/statements", "must have at least 1 items"],
    [[{ type: "DetectionsFilter", filter_operation: { type: "StatementGroup", statements: [{ type: "UnaryStatement", operand: { type: "DynamicOperand" }, operator: { type: "Exists" } }], operator: "xor" } }], "/0/filter_operation/operator", 'expected one of "and", "or"'],
  ])("reject %j at %s", (definition, pointer, message) => {
    const problems = validateJson(definition, operationsListSchema);
    expect(problems).toContainEqual({ pointer, message: expect.stringContaining(message) });
  });
});

describe("compilers validate first", () => {
  it("compileOperations reports every schema problem, at pointers under the given prefix", () => {
    const error = expectWorkflowError(
      () => compileOperations([{ type: "Nope" }, { type: "LookupTable" }], "/steps/0/operations"),
      "invalid_uql_definition",
      '/steps/0/operations/0/type: unknown type "Nope"',
    );
    expect(error.details["problems"]).toEqual([
      { pointer: "/steps/0/operations/0/type", message: expect.stringContaining('unknown type "Nope"') },
      { pointer: "/steps/0/operations/1/lookup_table", message: '"lookup_table" is required' },
    ]);
  });

  it("compileStatement refuses a malformed statement", () => {
    expectWorkflowError(() => compileStatement({ type: "StatementGroup" }, "/condition"), "invalid_uql_definition", '/condition/statements: "statements" is required');
    expect(validateJson({ type: "StatementGroup", statements: [{ type: "UnaryStatement", operand: { type: "StaticOperand", value: null }, operator: { type: "Exists" } }] }, statementGroupRef)).toEqual([]);
  });
});
