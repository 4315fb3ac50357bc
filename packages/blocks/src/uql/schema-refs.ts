/**
 * Names under which the query language's schemas live in the engine's `schemaDefs`, so that a
 * block field (or one operation inside another) can point at them with `$ref`.
 */
import type { JsonSchema } from "@cvflow/engine";

export const OPERATION_DEF = "UqlOperation";
export const STATEMENT_GROUP_DEF = "UqlStatementGroup";

export const operationRef: JsonSchema = { $ref: `#/$defs/${OPERATION_DEF}` };
export const statementGroupRef: JsonSchema = { $ref: `#/$defs/${STATEMENT_GROUP_DEF}` };

/** A list of operations, as blocks' `operations` fields hold. */
export const operationsListSchema: JsonSchema = { type: "array", items: operationRef };
