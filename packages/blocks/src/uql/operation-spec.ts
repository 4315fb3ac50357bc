/**
 * How one operation of the query language is declared: its `type` tag, the JSON Schema of its
 * other fields (Roboflow's field names and defaults), and how it compiles into a function.
 */
import type { JsonSchema } from "@cvflow/engine";

/** An operation as written in a definition: `{"type": "SequenceLength"}`. */
export interface OperationDefinition {
  type: string;
  [field: string]: unknown;
}

/** The values a chain can read by name (DetectionsRename's `class_map`, DetectionsFilter's operands). */
export type Globals = Readonly<Record<string, unknown>>;

export type OperationFunction = (value: unknown, globals: Globals) => unknown;

export type StatementFunction = (params: Globals) => boolean;

export interface OperationContext {
  /** JSON pointer of this operation in the compiled definition. */
  readonly at: string;
  compileChain(definitions: readonly OperationDefinition[], at: string): OperationFunction;
  compileStatement(definition: unknown, at: string): StatementFunction;
}

export interface OperationSpec<D = OperationDefinition> {
  type: string;
  description: string;
  /** Fields besides `type`; a field with a `default` is optional. */
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  /** Called once per definition; the result runs once per value. Fields arrive with defaults applied. */
  compile(definition: D, ctx: OperationContext): OperationFunction;
}

/** Identity with types: lets a spec name the fields its definition has. */
export function defineOperation<D>(spec: OperationSpec<D>): OperationSpec {
  return spec as unknown as OperationSpec;
}

/** The definition with every absent field that has a schema default filled in. */
export function withDefaults(spec: OperationSpec, definition: OperationDefinition): OperationDefinition {
  const filled: OperationDefinition = { ...definition };
  for (const [name, schema] of Object.entries(spec.properties ?? {})) {
    if (!(name in filled) && schema.default !== undefined) filled[name] = schema.default;
  }
  return filled;
}
