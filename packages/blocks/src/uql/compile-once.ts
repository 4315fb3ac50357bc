/**
 * Compiling a query-language definition once per definition object: a step's literal operations
 * are the same object for every element it runs on, so the first element pays for validation
 * and compilation and the others reuse the result. Keyed by the pointer too, as it appears in
 * the compiled function's error messages.
 */
import { validateJson, type JsonSchema } from "@cvflow/engine";
import { invalidUqlDefinition } from "../errors.js";

export function compileOnce<D extends object, F>(schema: JsonSchema, build: (definition: D, at: string) => F): (definition: D, at?: string) => F {
  const compiled = new WeakMap<D, Map<string, F>>();
  return (definition, at = "") => {
    let byPointer = compiled.get(definition);
    if (!byPointer) compiled.set(definition, (byPointer = new Map()));
    let fn = byPointer.get(at);
    if (fn === undefined) {
      assertValidUql(definition, schema, at);
      fn = build(definition, at);
      byPointer.set(at, fn);
    }
    return fn;
  };
}

/** Validates `definition` against `schema`, throwing every problem found as one WorkflowError. */
function assertValidUql(definition: unknown, schema: JsonSchema, at: string): void {
  const problems = validateJson(definition, schema, at);
  if (problems.length === 0) return;
  throw invalidUqlDefinition(problems);
}
