/**
 * What a block takes and gives, read from its description (`/workflows/blocks/describe`): the
 * fields of its step schema and the kinds of its outputs. The engine's schema (packages/engine
 * src/schema.ts) writes a field that takes data as `{"anyOf": [literal, selector], "x-kinds": [...]}`,
 * a field that names steps as a `$steps.name` pattern, and either one inside `items` (a list) or
 * `additionalProperties` (a dict). Pure: the catalogue, the picker and insertStep read it.
 */
import type { BlockDescription } from "@cvflow/wire";
import { isRecord } from "@cvflow/wire";

type Schema = Record<string, unknown>;

export interface BlockField {
  name: string;
  /** The literal values the field takes, in words ("number 0–1", "one of a, b"); "" when it only takes a selector. */
  type: string;
  /** The kinds a selector in it may refer to; empty when it takes no data selector. */
  kinds: string[];
  /** What a selector in it points at: data (`$inputs.x`, `$steps.x.y`), steps (`$steps.x`), or none. */
  selector: "data" | "step" | null;
  /** A single value, a list of them, or a dict of them. */
  shape: "one" | "list" | "dict";
  required: boolean;
  hasDefault: boolean;
  default?: unknown;
  /** The values an enum field allows (a selector besides, when `selector` says so). */
  enum?: unknown[];
  description?: string;
}

interface BlockOutput {
  name: string;
  kinds: string[];
}

const STEP_PATTERN = "^\\$steps\\.[A-Za-z0-9_\\-]+$";
/** Every step has these two; they are not the block's own fields. */
const STEP_KEYS = new Set(["type", "name"]);

export function blockFields(block: BlockDescription): BlockField[] {
  const schema = block.block_schema;
  const properties = isRecord(schema["properties"]) ? schema["properties"] : {};
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as unknown[]) : []);
  return Object.entries(properties)
    .filter(([name]) => !STEP_KEYS.has(name))
    .map(([name, value]) => fieldOf(name, isRecord(value) ? value : {}, required.has(name)));
}

function fieldOf(name: string, schema: Schema, required: boolean): BlockField {
  const items = isRecord(schema["items"]) ? schema["items"] : undefined;
  const values = isRecord(schema["additionalProperties"]) ? schema["additionalProperties"] : undefined;
  // A list or dict *of selectors* is a shape; a literal list (class names) is just a list type.
  const [shape, inner]: [BlockField["shape"], Schema] =
    items && takesSelector(items) ? ["list", items] : values && takesSelector(values) ? ["dict", values] : ["one", schema];
  const kinds = Array.isArray(inner["x-kinds"]) ? inner["x-kinds"].map(String) : [];
  const selector = isStepSelector(inner) ? "step" : kinds.length > 0 ? "data" : null;
  const literal = kinds.length > 0 && Array.isArray(inner["anyOf"]) && isRecord(inner["anyOf"][0]) ? inner["anyOf"][0] : inner;
  const enumValues = enumOf(literal);
  return {
    name,
    type: selector === "step" ? "" : typeText(literal),
    kinds,
    selector,
    shape,
    required,
    hasDefault: "default" in schema,
    ...("default" in schema ? { default: schema["default"] } : {}),
    ...(enumValues ? { enum: enumValues } : {}),
    ...(typeof schema["description"] === "string" ? { description: schema["description"] } : {}),
  };
}

function takesSelector(schema: Schema): boolean {
  return Array.isArray(schema["x-kinds"]) || isStepSelector(schema);
}

function isStepSelector(schema: Schema): boolean {
  return schema["type"] === "string" && schema["pattern"] === STEP_PATTERN;
}

function enumOf(schema: Schema): unknown[] | undefined {
  if (Array.isArray(schema["enum"])) return schema["enum"];
  if (Array.isArray(schema["anyOf"])) {
    const found = schema["anyOf"].filter(isRecord).map(enumOf).find((values) => values !== undefined);
    return found;
  }
  return undefined;
}

/** A literal schema in a few words. */
function typeText(schema: Schema): string {
  if (Object.keys(schema).filter((key) => key !== "description" && key !== "default").length === 0) return "any";
  if (Array.isArray(schema["enum"])) return `one of ${schema["enum"].map((value) => JSON.stringify(value)).join(", ")}`;
  if ("const" in schema) return JSON.stringify(schema["const"]);
  if (typeof schema["$ref"] === "string") return schema["$ref"].replace(/^#\/\$defs\//, "").replace(/^Uql/, "query ");
  for (const key of ["anyOf", "oneOf"]) {
    const options = schema[key];
    if (Array.isArray(options)) return [...new Set(options.filter(isRecord).map(typeText))].join(" or ");
  }
  const type = schema["type"];
  if (type === "array") return `list of ${isRecord(schema["items"]) ? typeText(schema["items"]) : "any"}`;
  if (type === "number" || type === "integer") {
    const min = schema["minimum"];
    const max = schema["maximum"];
    if (typeof min === "number" && typeof max === "number") return `${type} ${min}–${max}`;
    if (typeof min === "number") return `${type} ≥ ${min}`;
    if (typeof max === "number") return `${type} ≤ ${max}`;
  }
  return typeof type === "string" ? type : Array.isArray(type) ? type.join(" or ") : "object";
}

export function blockOutputs(block: BlockDescription): BlockOutput[] {
  return block.outputs_manifest.filter(isRecord).map((output) => ({
    name: String(output["name"]),
    kinds: Array.isArray(output["kind"]) ? output["kind"].map((kind) => (isRecord(kind) ? String(kind["name"]) : String(kind))) : [],
  }));
}

/** The block's family ("models", "visualizations", ...), "" when it names none. */
export function blockFamily(block: BlockDescription): string {
  return typeof block["block_family"] === "string" ? block["block_family"] : "";
}

export function blockDescriptionText(block: BlockDescription): string {
  return typeof block["description"] === "string" ? block["description"] : "";
}
