/**
 * JSON Schemas of the query language's statements, registered in the engine's `schemaDefs`:
 * StatementGroup (and/or over statements), BinaryStatement, UnaryStatement and their operands.
 * Field names and defaults are Roboflow's; note that a group's operator defaults to "or".
 */
import { schemaDefs, type JsonSchema } from "@cvflow/engine";
import { BINARY_COMPARATORS, UNARY_OPERATORS } from "./comparators.js";
import { STATEMENT_GROUP_DEF, operationsListSchema } from "./schema-refs.js";

const tag = (name: string): JsonSchema => ({ const: name });
const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const operations: JsonSchema = { ...operationsListSchema, default: [] };

schemaDefs.define("UqlStaticOperand", {
  type: "object",
  description: "A literal value, optionally transformed by operations.",
  properties: { type: tag("StaticOperand"), value: {}, operations },
  required: ["type", "value"],
});

schemaDefs.define("UqlDynamicOperand", {
  type: "object",
  description: 'A named value (default "_", the detection a DetectionsFilter looks at), optionally transformed.',
  properties: { type: tag("DynamicOperand"), operand_name: { type: "string", default: "_" }, operations },
  required: ["type"],
});

const operand = schemaDefs.define("UqlOperand", {
  type: "object",
  oneOf: [ref("UqlStaticOperand"), ref("UqlDynamicOperand")],
});

schemaDefs.define("UqlBinaryStatement", {
  type: "object",
  properties: {
    type: tag("BinaryStatement"),
    left_operand: operand,
    comparator: {
      type: "object",
      properties: { type: { enum: Object.keys(BINARY_COMPARATORS) } },
      required: ["type"],
    },
    right_operand: operand,
    negate: { type: "boolean", default: false },
  },
  required: ["type", "left_operand", "comparator", "right_operand"],
});

schemaDefs.define("UqlUnaryStatement", {
  type: "object",
  properties: {
    type: tag("UnaryStatement"),
    operand,
    operator: {
      type: "object",
      properties: { type: { enum: Object.keys(UNARY_OPERATORS) } },
      required: ["type"],
    },
    negate: { type: "boolean", default: false },
  },
  required: ["type", "operand", "operator"],
});

export const statementSchema = schemaDefs.define("UqlStatement", {
  type: "object",
  oneOf: [ref("UqlBinaryStatement"), ref("UqlUnaryStatement"), ref(STATEMENT_GROUP_DEF)],
});

schemaDefs.define(STATEMENT_GROUP_DEF, {
  type: "object",
  properties: {
    type: tag("StatementGroup"),
    statements: { type: "array", minItems: 1, items: statementSchema },
    operator: { enum: ["and", "or"], default: "or" },
  },
  required: ["type", "statements"],
});
