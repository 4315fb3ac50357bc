/**
 * compileOperations: a list of operation definitions into one function, checked and built once
 * and run many times (per element, per detection).
 */
import { WorkflowError, validateJson, type JsonSchema } from "@cvflow/engine";
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

/** Validates `definition` against `schema`, throwing every problem found as one WorkflowError. */
export function assertValidUql(definition: unknown, schema: JsonSchema, at: string): void {
  const problems = validateJson(definition, schema, at);
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new WorkflowError("invalid_uql_definition", `${first.pointer || "/"}: ${first.message}`, 400, { problems });
}

const compiled = new WeakMap<object, Map<string, OperationFunction>>();

/**
 * Validates and compiles a chain of operations. Compiling the same definition object again (a
 * step's literal, for each element) returns the cached function. `at` prefixes JSON pointers in
 * error messages, e.g. "/operations".
 */
export function compileOperations(definitions: readonly OperationDefinition[], at = ""): CompiledOperations {
  const byPointer = compiled.get(definitions) ?? new Map<string, OperationFunction>();
  compiled.set(definitions, byPointer);
  let chain = byPointer.get(at);
  if (!chain) {
    assertValidUql(definitions, operationsListSchema, at);
    chain = buildChain(definitions, at);
    byPointer.set(at, chain);
  }
  const run = chain;
  return (value, globals = {}) => run(value, globals);
}
