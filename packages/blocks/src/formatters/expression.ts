/**
 * Expression: named data, optionally transformed by operations, then a switch — the first case
 * whose condition holds gives the output (a static value, or a variable through operations);
 * otherwise the default does.
 */
import { defineBlock, pointer, schemaDefs, type JsonSchema } from "@cvflow/engine";
import { compileOperations } from "../uql/compile-operations.js";
import { compileStatement } from "../uql/compile-statement.js";
import { undeclaredSymbol } from "../errors.js";
import type { OperationDefinition } from "../uql/operation-spec.js";
import { operationsListSchema, statementGroupRef } from "../uql/schema-refs.js";
import { unknownOperationTargets, variablesWithOperations, type DataOperations } from "./variables.js";

interface StaticCaseResult {
  type: "StaticCaseResult";
  value: unknown;
}

interface DynamicCaseResult {
  type: "DynamicCaseResult";
  parameter_name: string;
  operations?: OperationDefinition[] | null;
}

type CaseResult = StaticCaseResult | DynamicCaseResult;

interface CasesDefinition {
  type: "CasesDefinition";
  cases: { type: "CaseDefinition"; condition: object; result: CaseResult }[];
  default: CaseResult;
}

const caseResult = schemaDefs.define("ExpressionCaseResult", {
  type: "object",
  oneOf: [
    schemaDefs.define("StaticCaseResult", {
      type: "object",
      properties: { type: { const: "StaticCaseResult" }, value: {} },
      required: ["type", "value"],
    }),
    schemaDefs.define("DynamicCaseResult", {
      type: "object",
      properties: {
        type: { const: "DynamicCaseResult" },
        parameter_name: { type: "string" },
        operations: { anyOf: [operationsListSchema, { type: "null" }], default: null },
      },
      required: ["type", "parameter_name"],
    }),
  ],
});

const casesDefinition: JsonSchema = schemaDefs.define("CasesDefinition", {
  type: "object",
  properties: {
    type: { const: "CasesDefinition" },
    cases: {
      type: "array",
      items: schemaDefs.define("CaseDefinition", {
        type: "object",
        properties: { type: { const: "CaseDefinition" }, condition: statementGroupRef, result: caseResult },
        required: ["type", "condition", "result"],
      }),
    },
    default: caseResult,
  },
  required: ["type", "cases", "default"],
});

function output(result: CaseResult, variables: Readonly<Record<string, unknown>>, at: string): unknown {
  if (result.type === "StaticCaseResult") return result.value;
  const name = result.parameter_name;
  if (!Object.hasOwn(variables, name)) throw undeclaredSymbol(name, `${at}/parameter_name`, Object.keys(variables));
  const value = variables[name];
  if (!result.operations?.length) return value;
  return compileOperations(result.operations, `${at}/operations`)(value, variables);
}

export const expressionBlock = defineBlock<{
  data: Record<string, unknown>;
  data_operations: DataOperations;
  switch: CasesDefinition;
}>({
  manifest: {
    type: "roboflow_core/expression@v1",
    aliases: ["Expression"],
    name: "Expression",
    description: "Returns the result of the first case whose condition holds on the named data, or the default.",
    family: "formatters",
    fields: {
      data: { description: "Named values the conditions and results refer to.", shape: "dict", kinds: ["*"], required: true },
      data_operations: {
        description: "Operations applied to data values (by name) before the cases are evaluated.",
        schema: { type: "object", additionalProperties: operationsListSchema },
        default: {},
      },
      switch: { description: "The cases and the default result.", schema: casesDefinition, required: true },
    },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  validate: (step) => unknownOperationTargets(step, "data", "data_operations"),
  run: ({ data, data_operations, switch: cases }) => {
    const variables = variablesWithOperations(data, data_operations, "/data_operations");
    const matching = cases.cases.findIndex((c, i) => compileStatement(c.condition, pointer("switch", "cases", i, "condition"))(variables));
    if (matching < 0) return { output: output(cases.default, variables, "/switch/default") };
    return { output: output(cases.cases[matching]!.result, variables, pointer("switch", "cases", matching, "result")) };
  },
});
