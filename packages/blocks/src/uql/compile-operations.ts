/**
 * compileOperations: a list of operation definitions into one function, checked and built once
 * and run many times (per element, per detection).
 */
import { buildChain } from "./build.js";
import { compileOnce } from "./compile-once.js";
import type { Globals, OperationDefinition } from "./operation-spec.js";
import { operationsListSchema } from "./schema-refs.js";

export type CompiledOperations = (value: unknown, globals?: Globals) => unknown;

/**
 * Validates and compiles a chain of operations. Compiling the same definition object again (a
 * step's literal, for each element) returns the cached function. `at` prefixes JSON pointers in
 * error messages, e.g. "/operations".
 */
export const compileOperations: (definitions: readonly OperationDefinition[], at?: string) => CompiledOperations = compileOnce(
  operationsListSchema,
  (definitions: readonly OperationDefinition[], at) => {
    const run = buildChain(definitions, at);
    return (value, globals = {}) => run(value, globals);
  },
);
