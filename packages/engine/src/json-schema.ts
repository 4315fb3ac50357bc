/**
 * A small JSON Schema (2020-12 subset) type and validator for block fields' literal values.
 * Kept in-house so that messages are written for people and every problem carries its JSON
 * pointer; shared definitions (`$ref: "#/$defs/Name"`) let recursive grammars such as the query
 * language be expressed once and exported with the workflow schema.
 */

export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  title?: string;
  description?: string;
  default?: unknown;
  examples?: readonly unknown[];
}

export type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";

export interface SchemaProblem {
  pointer: string;
  message: string;
}

/** Named schemas that `$ref: "#/$defs/Name"` points at; exported under `$defs` with the grammar. */
export class SchemaDefs {
  private readonly defs = new Map<string, JsonSchema>();

  define(name: string, schema: JsonSchema): JsonSchema {
    this.defs.set(name, schema);
    return { $ref: `#/$defs/${name}` };
  }

  resolve(ref: string): JsonSchema | undefined {
    return this.defs.get(ref.replace(/^#\/\$defs\//, ""));
  }

  toJSON(): Record<string, JsonSchema> {
    return Object.fromEntries(this.defs);
  }
}

/** The process-wide definitions; blocks register theirs at import time. */
export const schemaDefs = new SchemaDefs();

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

function typeMatches(value: unknown, type: JsonType): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? text.slice(0, 57) + "..." : text;
}

export function validateJson(value: unknown, schema: JsonSchema, at = "", defs: SchemaDefs = schemaDefs): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  check(value, schema, at, defs, problems);
  return problems;
}

function check(value: unknown, schema: JsonSchema, at: string, defs: SchemaDefs, out: SchemaProblem[]): void {
  if (schema.$ref) {
    const target = defs.resolve(schema.$ref);
    if (!target) throw new Error(`Unknown schema reference ${schema.$ref}`);
    check(value, target, at, defs, out);
    return;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(value, t))) {
      out.push({ pointer: at, message: `expected ${types.join(" or ")}, got ${describe(value)}` });
      return;
    }
  }
  if (schema.const !== undefined && value !== schema.const) {
    out.push({ pointer: at, message: `expected ${describe(schema.const)}, got ${describe(value)}` });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.push({ pointer: at, message: `expected one of ${schema.enum.map(describe).join(", ")}, got ${describe(value)}` });
    return;
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) out.push({ pointer: at, message: `must be >= ${schema.minimum}, got ${value}` });
    if (schema.maximum !== undefined && value > schema.maximum) out.push({ pointer: at, message: `must be <= ${schema.maximum}, got ${value}` });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) out.push({ pointer: at, message: `must be > ${schema.exclusiveMinimum}, got ${value}` });
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) out.push({ pointer: at, message: `must be < ${schema.exclusiveMaximum}, got ${value}` });
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push({ pointer: at, message: `must have at least ${schema.minLength} characters` });
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) out.push({ pointer: at, message: `must match ${schema.pattern}, got ${describe(value)}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push({ pointer: at, message: `must have at least ${schema.minItems} items` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push({ pointer: at, message: `must have at most ${schema.maxItems} items` });
    if (schema.items) value.forEach((item, i) => check(item, schema.items!, `${at}/${i}`, defs, out));
  }
  if (typeOf(value) === "object") checkObject(value as Record<string, unknown>, schema, at, defs, out);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) checkAlternatives(value, alternatives, at, defs, out);
}

function checkObject(obj: Record<string, unknown>, schema: JsonSchema, at: string, defs: SchemaDefs, out: SchemaProblem[]): void {
  for (const key of schema.required ?? []) {
    if (!(key in obj)) out.push({ pointer: `${at}/${key}`, message: `"${key}" is required` });
  }
  for (const [key, item] of Object.entries(obj)) {
    const sub = schema.properties?.[key];
    if (sub) check(item, sub, `${at}/${escape(key)}`, defs, out);
    else if (schema.additionalProperties === false) out.push({ pointer: `${at}/${escape(key)}`, message: `unknown property "${key}"` });
    else if (typeof schema.additionalProperties === "object") check(item, schema.additionalProperties, `${at}/${escape(key)}`, defs, out);
  }
}

/**
 * For alternatives that are objects tagged by a `type` constant (the query language's style),
 * the tag picks the alternative, so the message names the real problem, not "matched none".
 */
function checkAlternatives(value: unknown, alternatives: readonly JsonSchema[], at: string, defs: SchemaDefs, out: SchemaProblem[]): void {
  const resolved = alternatives.map((s) => (s.$ref ? (defs.resolve(s.$ref) ?? s) : s));
  const tag = typeOf(value) === "object" ? (value as Record<string, unknown>)["type"] : undefined;
  const tags = resolved.map((s) => s.properties?.["type"]?.const ?? s.properties?.["type"]?.enum);
  if (tags.every((t) => t !== undefined)) {
    const i = tags.findIndex((t) => (Array.isArray(t) ? t.includes(tag) : t === tag));
    if (i < 0) {
      const names = tags.flatMap((t) => (Array.isArray(t) ? t : [t])).map(describe);
      out.push({ pointer: `${at}/type`, message: `unknown type ${describe(tag)}; expected one of ${names.join(", ")}` });
      return;
    }
    check(value, resolved[i]!, at, defs, out);
    return;
  }
  let best: SchemaProblem[] | undefined;
  for (const alternative of resolved) {
    const problems = validateJson(value, alternative, at, defs);
    if (problems.length === 0) return;
    if (!best || problems.length < best.length) best = problems;
  }
  out.push(...(best ?? [{ pointer: at, message: "matches none of the allowed forms" }]));
}

function escape(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
