/**
 * compileOperations: a list of operation definitions into one function, checked and built once
 * and run many times (per element, per detection).
 */
import { compileOnce } from "./compile-once.js";
import { buildStatement } from "./compile-statement.js";
import { withDefaults, type Globals, type OperationContext, type OperationDefinition, type OperationFunction } from "./operation-spec.js";
import { OPERATIONS } from "./operations-schema.js";
import { operationsListSchema } from "./schema-refs.js";

export type CompiledOperations = (value: unknown, globals?: Globals) => unknown;

const identity: OperationFunction = (value) => value;

/** Builds a validated chain; `at` is the JSON pointer of the list. */
export function buildChain(definitions: readonly OperationDefinition[], at: string): OperationFunction {
  const steps = definitions.map((definition, i) => {
    // validated before building: the type is one of OPERATIONS
    const spec = OPERATIONS.get(definition.type)!;
    const ctx: OperationContext = { at: `${at}/${i}`, compileChain: buildChain, compileStatement: buildStatement };
    return spec.compile(withDefaults(spec, definition), ctx);
  });
  if (steps.length === 0) return identity;
  return (value, globals) => steps.reduce((current, step) => step(current, globals), value);
}


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
