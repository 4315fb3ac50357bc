/**
 * A `wait_for_input` step's answer schema (JSON Schema) → the fields of the form a person answers
 * with, and the form's drafts → the answer (DOM-free, tested in packages/ui/test).
 *
 * An object's properties become labelled fields by type: text, number, whole number, a checkbox,
 * a choice (enum, or a boolean that may be left out), a list of strings (one a line), nested
 * objects as groups. Anything else (arrays of objects, anyOf, $ref, …) is a raw JSON field. The
 * form checks only what it must to build the answer (required fields, numbers, JSON); the service
 * checks the rest against the schema and names each problem's pointer, shown at its field.
 */
import { isRecord } from "@cvflow/wire";

interface FieldBase {
  /** JSON pointer of the field's value in the answer ("" for the answer itself). */
  pointer: string;
  label: string;
  description?: string;
  required: boolean;
  default?: unknown;
}

export type FormField =
  | (FieldBase & { kind: "string" })
  | (FieldBase & { kind: "number" | "integer"; minimum?: number; maximum?: number })
  | (FieldBase & { kind: "boolean" })
  | (FieldBase & { kind: "enum"; options: unknown[] })
  | (FieldBase & { kind: "string-list" })
  | (FieldBase & { kind: "object"; fields: FormField[] })
  | (FieldBase & { kind: "json" });

/** What each field holds while the person fills it in, by pointer: text (a choice: the option's index), or a checkbox's state. */
export type Drafts = Readonly<Record<string, string | boolean>>;

export function formOf(schema: unknown): FormField {
  return fieldOf(schema, "", "Answer", true);
}

function fieldOf(schema: unknown, pointer: string, name: string, required: boolean): FormField {
  const base: FieldBase = { pointer, label: name, required };
  if (!isRecord(schema)) return { ...base, kind: "json" };
  if (typeof schema["title"] === "string") base.label = schema["title"];
  if (typeof schema["description"] === "string") base.description = schema["description"];
  if (schema["default"] !== undefined) base.default = schema["default"];
  if (Array.isArray(schema["enum"]) && schema["enum"].length > 0) return { ...base, kind: "enum", options: schema["enum"] };
  if (hasCombinators(schema)) return { ...base, kind: "json" };
  switch (singleType(schema)) {
    case "string":
      return { ...base, kind: "string" };
    case "number":
    case "integer": {
      const kind = singleType(schema) as "number" | "integer";
      return { ...base, kind, ...bound("minimum", schema["minimum"]), ...bound("maximum", schema["maximum"]) };
    }
    case "boolean":
      // A checkbox cannot say "not given": an optional boolean without a default is a choice.
      return required || base.default !== undefined ? { ...base, kind: "boolean" } : { ...base, kind: "enum", options: [true, false] };
    case "array": {
      const items = schema["items"];
      const ofStrings = isRecord(items) && singleType(items) === "string" && !Array.isArray(items["enum"]) && !hasCombinators(items);
      return { ...base, kind: ofStrings ? "string-list" : "json" };
    }
    case "object": {
      const properties = schema["properties"];
      if (!isRecord(properties) || Object.keys(properties).length === 0) return { ...base, kind: "json" };
      const requiredNames = new Set(Array.isArray(schema["required"]) ? schema["required"].filter((n): n is string => typeof n === "string") : []);
      const fields = Object.entries(properties).map(([key, property]) => fieldOf(property, `${pointer}/${escapePointer(key)}`, key, requiredNames.has(key)));
      return { ...base, kind: "object", fields };
    }
    default:
      return { ...base, kind: "json" };
  }
}

/** The schema's one type ("null" aside); an object schema may leave `type` out and still list properties. */
function singleType(schema: Record<string, unknown>): string | undefined {
  const type = schema["type"];
  if (typeof type === "string") return type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== "null");
    return types.length === 1 && typeof types[0] === "string" ? types[0] : undefined;
  }
  return type === undefined && isRecord(schema["properties"]) ? "object" : undefined;
}

function hasCombinators(schema: Record<string, unknown>): boolean {
  return ["anyOf", "oneOf", "allOf", "not", "$ref", "if", "const", "patternProperties"].some((key) => key in schema);
}

function bound(name: "minimum" | "maximum", value: unknown): { minimum?: number; maximum?: number } {
  return typeof value === "number" ? { [name]: value } : {};
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * The drafts that show `value` (what the step shows the person, or nothing); where it has no
 * value for a field, the schema's default.
 */
export function draftsOf(field: FormField, value?: unknown): Record<string, string | boolean> {
  const drafts: Record<string, string | boolean> = {};
  fill(field, value, drafts);
  return drafts;
}

function fill(field: FormField, given: unknown, drafts: Record<string, string | boolean>): void {
  const value = given === undefined ? field.default : given;
  switch (field.kind) {
    case "object": {
      const object = isRecord(value) ? value : {};
      for (const child of field.fields) fill(child, object[lastKey(child.pointer)], drafts);
      return;
    }
    case "boolean":
      drafts[field.pointer] = value === true;
      return;
    case "string":
      drafts[field.pointer] = typeof value === "string" ? value : "";
      return;
    case "number":
    case "integer":
      drafts[field.pointer] = typeof value === "number" ? String(value) : "";
      return;
    case "enum": {
      const index = value === undefined ? -1 : field.options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
      drafts[field.pointer] = index < 0 ? "" : String(index);
      return;
    }
    case "string-list":
      drafts[field.pointer] = Array.isArray(value) ? value.filter((item): item is string => typeof item === "string").join("\n") : "";
      return;
    case "json":
      drafts[field.pointer] = value === undefined ? "" : JSON.stringify(value, null, 2);
      return;
  }
}

function lastKey(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf("/") + 1).replaceAll("~1", "/").replaceAll("~0", "~");
}

interface BuiltAnswer {
  /** undefined when the form cannot build one yet: see `errors`. */
  answer?: unknown;
  /** Problems by the field's pointer. */
  errors: Record<string, string>;
}

/** The answer the drafts make; fields left empty are left out (their objects too, when optional). */
export function answerOf(field: FormField, drafts: Drafts): BuiltAnswer {
  const errors: Record<string, string> = {};
  const answer = valueOf(field, drafts, errors);
  return Object.keys(errors).length > 0 ? { errors } : { answer, errors };
}

function valueOf(field: FormField, drafts: Drafts, errors: Record<string, string>): unknown {
  const draft = drafts[field.pointer];
  if (field.kind === "object") {
    const object: Record<string, unknown> = {};
    for (const child of field.fields) {
      const value = valueOf(child, drafts, errors);
      if (value !== undefined) object[lastKey(child.pointer)] = value;
    }
    return Object.keys(object).length > 0 || field.required ? object : undefined;
  }
  if (field.kind === "boolean") return draft === true;
  const text = typeof draft === "string" ? draft : "";
  if (text.trim() === "") {
    if (field.kind === "string-list" && field.required) return [];
    if (field.required) errors[field.pointer] = "required";
    return undefined;
  }
  switch (field.kind) {
    case "string":
      return text;
    case "number":
    case "integer": {
      const number = Number(text.trim());
      if (!Number.isFinite(number)) errors[field.pointer] = "not a number";
      else if (field.kind === "integer" && !Number.isInteger(number)) errors[field.pointer] = "not a whole number";
      return number;
    }
    case "enum":
      return field.options[Number(text)];
    case "string-list":
      return text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        errors[field.pointer] = "not valid JSON";
        return undefined;
      }
  }
}

/**
 * The field a problem the service found belongs to: the deepest one whose pointer starts the
 * problem's (an error inside a JSON field's value is shown at that field).
 */
export function fieldPointerOf(root: FormField, pointer: string): string {
  if (root.kind !== "object") return root.pointer;
  for (const child of root.fields) {
    if (pointer === child.pointer || pointer.startsWith(`${child.pointer}/`)) return fieldPointerOf(child, pointer);
  }
  return root.pointer;
}
