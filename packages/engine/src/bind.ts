/**
 * Binds a step's fields to their sources: literals are checked against the field's schema,
 * selectors are resolved to an input or a step output and their kinds checked against what the
 * field accepts. Every problem is collected; nothing here throws.
 */
import type { Block, FieldSpec, OutputSpec } from "./block.js";
import type { DefinitionInput, DefinitionStep } from "./definition.js";
import { pointerSegment, type WorkflowIssue } from "./errors.js";
import { validateJson } from "./json-schema.js";
import { kindsCompatible, type Kind } from "./kinds.js";
import type { Binding } from "./plan.js";
import { isSelectorLike, parseSelector } from "./selectors.js";

/** What a binder may refer to: the definition's inputs and every step's outputs (undefined: unknown block). */
export interface Scope {
  inputs: ReadonlyMap<string, DefinitionInput>;
  steps: ReadonlyMap<string, OutputSpec[] | undefined>;
}

const RESERVED = new Set(["type", "name"]);

export function bindStep(
  step: DefinitionStep,
  block: Block,
  scope: Scope,
  issues: WorkflowIssue[],
  warnings: WorkflowIssue[],
): [string, Binding][] {
  const { fields } = block.manifest;
  const problem = (code: string, message: string, property: string, at: string): void => {
    issues.push({ code, message, pointer: at, step: step.name, property });
  };
  const aliases = new Map(Object.entries(fields).flatMap(([field, spec]) => (spec.aliases ?? []).map((a) => [a, field] as const)));
  for (const key of Object.keys(step.raw)) {
    if (RESERVED.has(key) || key in fields || aliases.has(key)) continue;
    warnings.push({
      code: "unknown_field",
      message: `Step "${step.name}": block ${block.manifest.type} has no field "${key}"; it is ignored`,
      pointer: `${step.pointer}/${pointerSegment(key)}`,
      step: step.name,
      property: key,
    });
  }
  const bindings: [string, Binding][] = [];
  for (const [field, spec] of Object.entries(fields)) {
    const written = step.raw[field] != null ? field : (spec.aliases ?? []).find((a) => step.raw[a] != null) ?? field;
    const at = `${step.pointer}/${pointerSegment(written)}`;
    const value = step.raw[written];
    // null stands for "not given", as in the grammar's reference implementation: the default applies.
    if (value === undefined || value === null) {
      if (spec.required) problem("missing_field", `Step "${step.name}" needs the field "${field}"${value === null ? ", got null" : ""}`, field, at);
      bindings.push([field, { t: "literal", value: spec.default }]);
      continue;
    }
    const binding = bindField(step.name, field, spec, value, at, scope, problem);
    if (binding) bindings.push([field, binding]);
  }
  for (const p of block.validate?.(step.raw) ?? []) {
    issues.push({
      code: p.code ?? "invalid_step",
      message: `Step "${step.name}": ${p.message}`,
      pointer: p.property ? `${step.pointer}/${pointerSegment(p.property)}` : step.pointer,
      step: step.name,
      ...(p.property ? { property: p.property } : {}),
    });
  }
  return bindings;
}

type Report = (code: string, message: string, property: string, at: string) => void;

function bindField(stepName: string, field: string, spec: FieldSpec, value: unknown, at: string, scope: Scope, report: Report): Binding | undefined {
  const shape = spec.shape ?? "value";
  if (shape === "value") return bindValue(stepName, field, spec, value, at, scope, report);
  if (shape === "list") {
    if (!Array.isArray(value)) {
      report("invalid_field", `Step "${stepName}": "${field}" must be a list`, field, at);
      return undefined;
    }
    const items = value.map((v, i) => bindValue(stepName, field, spec, v, `${at}/${i}`, scope, report));
    if (items.some((b) => b === undefined)) return undefined;
    return collapse({ t: "list", items: items as Binding[] });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report("invalid_field", `Step "${stepName}": "${field}" must be an object`, field, at);
    return undefined;
  }
  const entries = Object.entries(value).map(([k, v]) => [k, bindValue(stepName, field, spec, v, `${at}/${pointerSegment(k)}`, scope, report)] as const);
  if (entries.some(([, b]) => b === undefined)) return undefined;
  return collapse({ t: "dict", entries: entries as [string, Binding][] });
}

/** A list or object made only of literals is one literal: nothing to resolve per element. */
function collapse(binding: Binding & { t: "list" | "dict" }): Binding {
  if (binding.t === "list") {
    return binding.items.every((b) => b.t === "literal") ? { t: "literal", value: binding.items.map((b) => (b as { value: unknown }).value) } : binding;
  }
  return binding.entries.every(([, b]) => b.t === "literal")
    ? { t: "literal", value: Object.fromEntries(binding.entries.map(([k, b]) => [k, (b as { value: unknown }).value])) }
    : binding;
}

function bindValue(stepName: string, field: string, spec: FieldSpec, value: unknown, at: string, scope: Scope, report: Report): Binding | undefined {
  if (spec.steps) {
    const parsed = typeof value === "string" && value.startsWith("$steps.") ? parseSelector(value) : undefined;
    if (!parsed || "error" in parsed || parsed.type !== "step" || parsed.property !== undefined) {
      report("invalid_field", `Step "${stepName}": "${field}" must name steps as $steps.<name>, got ${JSON.stringify(value)}`, field, at);
      return undefined;
    }
    if (!scope.steps.has(parsed.step)) {
      report("undefined_step", `Step "${stepName}": "${field}" refers to step "${parsed.step}", which is not defined`, field, at);
      return undefined;
    }
    if (parsed.step === stepName) {
      report("invalid_flow_control", `Step "${stepName}" cannot pass control to itself`, field, at);
      return undefined;
    }
    return { t: "target", step: parsed.step, text: value as string };
  }
  if (isSelectorLike(value)) {
    if (!spec.kinds) {
      report("selector_not_allowed", `Step "${stepName}": "${field}" takes a literal value, not the selector ${value}`, field, at);
      return undefined;
    }
    return bindSelector(stepName, field, spec, value, at, scope, report);
  }
  if (spec.dimensionOffset === 1) {
    report("invalid_field", `Step "${stepName}": "${field}" reads the elements of a nested batch, so it must be a selector ($steps.<name>.<output>), got ${JSON.stringify(value)}`, field, at);
    return undefined;
  }
  if (spec.schema) {
    for (const p of validateJson(value, spec.schema, at)) {
      report("invalid_field", `Step "${stepName}": "${field}"${p.pointer === at ? "" : ` at ${p.pointer.slice(at.length)}`}: ${p.message}`, field, p.pointer);
    }
  }
  return { t: "literal", value };
}

function bindSelector(stepName: string, field: string, spec: FieldSpec, text: string, at: string, scope: Scope, report: Report): Binding | undefined {
  const parsed = parseSelector(text);
  if ("error" in parsed) {
    report("invalid_selector", `Step "${stepName}": "${field}": ${parsed.error}`, field, at);
    return undefined;
  }
  const accepted = spec.kinds ?? [];
  const offset = spec.dimensionOffset ?? 0;
  const checkKinds = (produced: readonly Kind[], what: string): boolean => {
    if (kindsCompatible(produced, accepted)) return true;
    report("kind_mismatch", `Step "${stepName}": "${field}" accepts ${accepted.join(", ")}, but ${what} is ${produced.join(", ")}`, field, at);
    return false;
  };
  if (parsed.type === "input") {
    const input = scope.inputs.get(parsed.name);
    if (!input) {
      report("undefined_input", `Step "${stepName}": "${field}" refers to input "${parsed.name}", which is not declared in "inputs"`, field, at);
      return undefined;
    }
    return checkKinds(input.kinds, `$inputs.${parsed.name}`) ? { t: "input", name: parsed.name, level: input.dimensionality, offset } : undefined;
  }
  if (!scope.steps.has(parsed.step)) {
    report("undefined_step", `Step "${stepName}": "${field}" refers to step "${parsed.step}", which is not defined`, field, at);
    return undefined;
  }
  if (parsed.property === undefined || parsed.property === "*") {
    report("invalid_selector", `Step "${stepName}": "${field}" needs one output of "${parsed.step}" ($steps.${parsed.step}.<output>), got ${text}`, field, at);
    return undefined;
  }
  const outputs = scope.steps.get(parsed.step);
  // The producer's block is unknown: that is already reported, and its outputs cannot be checked.
  if (!outputs) return { t: "output", step: parsed.step, property: parsed.property, level: -1, offset };
  const output = outputs.find((o) => o.name === parsed.property);
  if (!output) {
    const names = outputs.map((o) => o.name).join(", ") || "none";
    report("undefined_output", `Step "${stepName}": "${field}" refers to "${parsed.property}" of step "${parsed.step}", which has no such output (it has: ${names})`, field, at);
    return undefined;
  }
  return checkKinds(output.kinds, text) ? { t: "output", step: parsed.step, property: parsed.property, level: -1, offset } : undefined;
}

/** Every data reference in a binding, with the binding object itself (levels are filled in later). */
export function* references(binding: Binding): Generator<Extract<Binding, { t: "input" | "output" }>> {
  if (binding.t === "input" || binding.t === "output") yield binding;
  else if (binding.t === "list") for (const b of binding.items) yield* references(b);
  else if (binding.t === "dict") for (const [, b] of binding.entries) yield* references(b);
}

export function* targets(binding: Binding): Generator<Extract<Binding, { t: "target" }>> {
  if (binding.t === "target") yield binding;
  else if (binding.t === "list") for (const b of binding.items) yield* targets(b);
  else if (binding.t === "dict") for (const [, b] of binding.entries) yield* targets(b);
}
