/**
 * compileStatement: a statement (StatementGroup, BinaryStatement or UnaryStatement) into a
 * predicate over named values, checked and built once.
 */
import { buildStatement } from "./build.js";
import { compileOnce } from "./compile-once.js";
import type { StatementFunction } from "./operation-spec.js";
import { statementSchema } from "./statements-schema.js";

/**
 * Validates and compiles a statement into `(params) => boolean`; DynamicOperands read `params`
 * by name. Compiling the same definition object again returns the cached predicate.
 */
export const compileStatement: (definition: object, at?: string) => StatementFunction = compileOnce(statementSchema, buildStatement);
