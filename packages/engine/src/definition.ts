/**
 * The outer shape of a definition: version, inputs, steps, outputs — bare or wrapped as
 * `{"specification": {...}}`. Field-level checks of steps belong to the compiler, which knows the
 * blocks; this module only reads what the grammar fixes, and reports every problem it sees.
 */
import { isRecord, unwrapSpecification } from "@cvflow/wire";
import type { WorkflowIssue } from "./errors.js";
import type { Kind } from "./kinds.js";

export type InputType = "image" | "parameter" | "batch" | "video_metadata";

export interface DefinitionInput {
  name: string;
  type: InputType;
  kinds: Kind[];
  /** 0 for parameters (one value for the whole run), >= 1 for batch-oriented inputs. */
  dimensionality: number;
  defaultValue: unknown;
  pointer: string;
}

export interface DefinitionStep {
  name: string;
  type: string;
  raw: Readonly<Record<string, unknown>>;
  pointer: string;
}

export interface DefinitionOutput {
  name: string;
  selector: string;
  coordinatesSystem: "parent" | "own";
  pointer: string;
}

export interface ParsedDefinition {
  version: string;
  inputs: DefinitionInput[];
  steps: DefinitionStep[];
  outputs: DefinitionOutput[];
}

const INPUT_TYPES: Record<string, InputType> = {
  WorkflowImage: "image",
  InferenceImage: "image",
  WorkflowParameter: "parameter",
  InferenceParameter: "parameter",
  WorkflowBatchInput: "batch",
  WorkflowVideoMetadata: "video_metadata",
};

/** "1.0", "1.0.0" and any "1.x" release of the grammar; nothing else. */
const SUPPORTED_VERSION = /^1(\.\d+){0,2}$/;

export function parseDefinition(definition: unknown, issues: WorkflowIssue[]): ParsedDefinition | undefined {
  const { definition: spec, pointer: root } = isRecord(definition) ? unwrapSpecification(definition) : { definition, pointer: "" };
  if (!isRecord(spec)) {
    issues.push({ code: "invalid_definition", message: "A workflow definition must be a JSON object with version, inputs, steps and outputs", pointer: root });
    return undefined;
  }
  const version = spec["version"];
  if (typeof version !== "string" || !SUPPORTED_VERSION.test(version)) {
    issues.push({
      code: "unsupported_version",
      message: version === undefined
        ? `"version" is required; this engine runs versions 1.0 to 1.x`
        : `Workflow version ${JSON.stringify(version)} is not supported; this engine runs versions 1.0 to 1.x`,
      pointer: `${root}/version`,
    });
  }
  const dynamicBlocks = spec["dynamic_blocks_definitions"];
  if (Array.isArray(dynamicBlocks) && dynamicBlocks.length > 0) {
    // Roboflow compiles these into Python blocks when its installation allows custom Python; here
    // there is no Python runtime to run them, so the steps that use them could never run.
    issues.push({
      code: "custom_python_blocks_unsupported",
      message: "Custom Python blocks (dynamic_blocks_definitions) are not supported here: only the built-in blocks run; replace them with built-in blocks",
      pointer: `${root}/dynamic_blocks_definitions`,
    });
  }
  const list = (key: string): unknown[] => {
    const value = spec[key] ?? (key === "inputs" ? [] : undefined);
    if (Array.isArray(value)) return value;
    issues.push({ code: "invalid_definition", message: `"${key}" must be a list`, pointer: `${root}/${key}` });
    return [];
  };
  return {
    version: typeof version === "string" ? version : "",
    inputs: list("inputs").flatMap((raw, i) => parseInput(raw, `${root}/inputs/${i}`, issues)),
    steps: list("steps").flatMap((raw, i) => parseStep(raw, `${root}/steps/${i}`, issues)),
    outputs: list("outputs").flatMap((raw, i) => parseOutput(raw, `${root}/outputs/${i}`, issues)),
  };
}

/**
 * Input and step names are what selectors name, so they take the selectors' characters. An output
 * name is only a key of the result: as in Roboflow, any non-empty string, but `__proto__`, which a
 * JavaScript object cannot hold as a key of its own.
 */
const NAME_RULES = {
  selectable: { valid: (name: string) => /^[A-Za-z0-9_\-]+$/.test(name), hint: 'use letters, digits, "_" and "-"' },
  output: { valid: (name: string) => name !== "" && name !== "__proto__", hint: 'use any non-empty string but "__proto__"' },
};

function nameOf(raw: Record<string, unknown>, at: string, what: "input" | "step" | "output", issues: WorkflowIssue[]): string | undefined {
  const name = raw["name"];
  const rule = what === "output" ? NAME_RULES.output : NAME_RULES.selectable;
  if (typeof name === "string" && rule.valid(name)) return name;
  issues.push({
    code: "invalid_name",
    message: name === undefined
      ? `Every ${what} needs a "name"`
      : `${what[0]!.toUpperCase()}${what.slice(1)} name ${JSON.stringify(name)} is invalid: ${rule.hint}`,
    pointer: `${at}/name`,
  });
  return undefined;
}

function kindsOf(raw: unknown, fallback: Kind[]): Kind[] {
  if (!Array.isArray(raw) || raw.length === 0) return fallback;
  return raw.map((k) => (isRecord(k) && typeof k["name"] === "string" ? k["name"] : String(k)));
}

function parseInput(raw: unknown, at: string, issues: WorkflowIssue[]): DefinitionInput[] {
  if (!isRecord(raw)) {
    issues.push({ code: "invalid_definition", message: "An input must be an object with type and name", pointer: at });
    return [];
  }
  const type = INPUT_TYPES[String(raw["type"])];
  const name = nameOf(raw, at, "input", issues);
  if (!type) {
    issues.push({
      code: "unknown_input_type",
      message: `Unknown input type ${JSON.stringify(raw["type"])}; expected one of ${Object.keys(INPUT_TYPES).join(", ")}`,
      pointer: `${at}/type`,
    });
    return [];
  }
  if (name === undefined) return [];
  let dimensionality = type === "parameter" ? 0 : 1;
  if (type === "batch" && raw["dimensionality"] !== undefined) {
    const d = raw["dimensionality"];
    if (typeof d === "number" && Number.isInteger(d) && d >= 1 && d <= 16) dimensionality = d;
    else issues.push({ code: "invalid_definition", message: `"dimensionality" must be an integer from 1 to 16`, pointer: `${at}/dimensionality` });
  }
  const kinds = type === "image" ? ["image"] : type === "video_metadata" ? ["video_metadata"] : kindsOf(raw["kind"], ["*"]);
  return [{ name, type, kinds, dimensionality, defaultValue: raw["default_value"] ?? null, pointer: at }];
}

function parseStep(raw: unknown, at: string, issues: WorkflowIssue[]): DefinitionStep[] {
  if (!isRecord(raw)) {
    issues.push({ code: "invalid_definition", message: "A step must be an object with type and name", pointer: at });
    return [];
  }
  const name = nameOf(raw, at, "step", issues);
  if (typeof raw["type"] !== "string") {
    issues.push({ code: "unknown_block_type", message: `Step ${name ? `"${name}" ` : ""}needs a "type" naming its block`, pointer: `${at}/type`, ...(name ? { step: name } : {}) });
    return [];
  }
  return name === undefined ? [] : [{ name, type: raw["type"], raw, pointer: at }];
}

function parseOutput(raw: unknown, at: string, issues: WorkflowIssue[]): DefinitionOutput[] {
  if (!isRecord(raw)) {
    issues.push({ code: "invalid_definition", message: "An output must be an object with type, name and selector", pointer: at });
    return [];
  }
  const name = nameOf(raw, at, "output", issues);
  if (raw["type"] !== undefined && raw["type"] !== "JsonField") {
    issues.push({ code: "invalid_output", message: `Unknown output type ${JSON.stringify(raw["type"])}; expected "JsonField"`, pointer: `${at}/type` });
  }
  const selector = raw["selector"];
  if (typeof selector !== "string") {
    issues.push({ code: "invalid_output", message: `Output ${name ? `"${name}" ` : ""}needs a "selector"`, pointer: `${at}/selector` });
  }
  const cs = raw["coordinates_system"] ?? "parent";
  if (cs !== "parent" && cs !== "own") {
    issues.push({ code: "invalid_output", message: `"coordinates_system" must be "parent" or "own", got ${JSON.stringify(cs)}`, pointer: `${at}/coordinates_system` });
  }
  if (name === undefined || typeof selector !== "string") return [];
  return [{ name, selector, coordinatesSystem: cs === "own" ? "own" : "parent", pointer: at }];
}
