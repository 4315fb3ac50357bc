/**
 * A workflow's inputs → the controls of its run form, and a parameter's text → the value sent
 * (DOM-free, tested in packages/ui/test). The kinds come from describe_interface, their JSON types
 * from its typing hints and kinds schemas; the definition adds what the interface does not say:
 * each input's declared type (an image, a batch) and its `default_value`, in its own order.
 */
import { isRecord } from "@cvflow/wire";

/** How much of describe_interface the form reads (the SDK's WorkflowInterface has these fields). */
interface InterfaceKinds {
  inputs: Record<string, string[]>;
  typingHints: Record<string, string>;
  kindsSchemas: Record<string, unknown>;
}

type ParameterControl = "number" | "integer" | "boolean" | "string" | "json" | "any";

export type InputControl =
  /** One image, or several (a list: the workflow runs once per image). */
  | { name: string; control: "image"; kinds: string[] }
  | {
      name: string;
      control: ParameterControl;
      kinds: string[];
      /** The definition's `default_value`; the service applies it when the input is left out. */
      defaultValue?: unknown;
      minimum?: number;
      maximum?: number;
    };

const IMAGE_KIND = "image";

export function inputControls(kinds: InterfaceKinds, definition?: unknown): InputControl[] {
  const declared = declaredInputs(definition);
  const names = [...declared.keys(), ...Object.keys(kinds.inputs).filter((name) => !declared.has(name))];
  return names
    .filter((name) => name in kinds.inputs)
    .map((name) => controlOf(name, kinds.inputs[name] ?? [], kinds, declared.get(name)));
}

function controlOf(name: string, inputKinds: string[], kinds: InterfaceKinds, declared: Record<string, unknown> | undefined): InputControl {
  const type = declared?.["type"];
  if (type === "WorkflowImage" || type === "InferenceImage" || inputKinds.includes(IMAGE_KIND)) return { name, control: "image", kinds: inputKinds };
  const defaultValue = declared && declared["default_value"] !== undefined && declared["default_value"] !== null ? declared["default_value"] : undefined;
  const bounds = boundsOf(inputKinds, kinds.kindsSchemas);
  // A batch of anything but images is a list of values: JSON.
  const control: ParameterControl = type === "WorkflowBatchInput" ? "json" : parameterControl(inputKinds, kinds.typingHints, defaultValue);
  return { name, control, kinds: inputKinds, ...(defaultValue !== undefined ? { defaultValue } : {}), ...bounds };
}

/**
 * The control of the JSON type the kinds share. Kinds of several types, or a wildcard, say nothing:
 * the default's own type, else free text read as the CLI reads `--param` (JSON when it parses).
 */
function parameterControl(inputKinds: string[], typingHints: Record<string, string>, defaultValue: unknown): ParameterControl {
  const types = new Set(inputKinds.map((kind) => typingHints[kind] ?? "any"));
  const [only] = types;
  const type = types.size === 1 && only !== "any" ? only : jsonTypeOf(defaultValue);
  switch (type) {
    case "number":
    case "integer":
    case "boolean":
    case "string":
      return type;
    case "object":
    case "array":
      return "json";
    default:
      return "any";
  }
}

function jsonTypeOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The bounds every kind's schema agrees on (float_zero_to_one: 0 to 1). */
function boundsOf(inputKinds: string[], schemas: Record<string, unknown>): { minimum?: number; maximum?: number } {
  if (inputKinds.length !== 1) return {};
  const schema = schemas[inputKinds[0]!];
  if (!isRecord(schema)) return {};
  const bounds: { minimum?: number; maximum?: number } = {};
  if (typeof schema["minimum"] === "number") bounds.minimum = schema["minimum"];
  if (typeof schema["maximum"] === "number") bounds.maximum = schema["maximum"];
  return bounds;
}

function declaredInputs(definition: unknown): Map<string, Record<string, unknown>> {
  const declared = new Map<string, Record<string, unknown>>();
  const inputs = isRecord(definition) ? definition["inputs"] : undefined;
  if (!Array.isArray(inputs)) return declared;
  for (const input of inputs) {
    if (isRecord(input) && typeof input["name"] === "string") declared.set(input["name"], input);
  }
  return declared;
}

/** What a parameter's control shows first: its default, as text (a checkbox: a boolean). */
export function initialDraft(control: Exclude<InputControl, { control: "image" }>): string | boolean {
  const value = control.defaultValue;
  if (control.control === "boolean") return value === true;
  if (value === undefined) return "";
  return typeof value === "string" && control.control !== "json" ? value : JSON.stringify(value);
}

type ParsedParameter = { value: unknown } | { omit: true } | { error: string };

/**
 * A control's draft → the value sent. Empty text leaves the input out: the service applies the
 * definition's default, or names the input it lacks.
 */
export function parseParameter(control: Exclude<InputControl, { control: "image" }>, draft: string | boolean): ParsedParameter {
  if (typeof draft === "boolean") return { value: draft };
  const text = draft.trim();
  if (text === "" && control.control !== "string") return { omit: true };
  switch (control.control) {
    case "number":
    case "integer": {
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: "not a number" };
      if (control.control === "integer" && !Number.isInteger(value)) return { error: "not a whole number" };
      if (control.minimum !== undefined && value < control.minimum) return { error: `below the minimum, ${control.minimum}` };
      if (control.maximum !== undefined && value > control.maximum) return { error: `above the maximum, ${control.maximum}` };
      return { value };
    }
    case "string":
      return draft === "" ? { omit: true } : { value: draft };
    case "boolean":
      return { value: text === "true" };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: "not valid JSON" };
      }
    case "any":
      // As the CLI's --param: JSON when it parses (0.5, true, ["a"]), else the text typed.
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { value: draft };
      }
  }
}
