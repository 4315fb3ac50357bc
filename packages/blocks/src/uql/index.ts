/** The query language (Roboflow's UQL): operations, statements, their schemas and compilers. */
export { compileOperations, type CompiledOperations } from "./compile-operations.js";
export { compileStatement } from "./compile-statement.js";
export { BINARY_COMPARATORS, UNARY_OPERATORS } from "./comparators.js";
export { DETECTIONS_PROPERTIES } from "./detection-properties.js";
export type { Globals, OperationDefinition, StatementFunction } from "./operation-spec.js";
export { OPERATIONS } from "./operations-schema.js";
export { OPERATION_DEF, STATEMENT_GROUP_DEF, operationRef, operationsListSchema, statementGroupRef } from "./schema-refs.js";
export { SingleDetection } from "./values.js";
