/**
 * `roboflow_core/inner_workflow@v1`: a workflow used as a step. The compiler inlines it before
 * anything is bound, so the child's steps run as ordinary steps of the parent (the same
 * scheduling, batching, dimensionality and flow control) and the step itself never runs:
 *
 * - the child's steps are renamed `{step}__{child step}` (`__2`, `__3`… if that name is taken);
 * - the child's `$inputs.x` become what `parameter_bindings.x` gives (a parent selector or a
 *   literal), or the child input's `default_value` for an unbound WorkflowParameter;
 * - the parent's `$steps.step.out` becomes what the child's output `out` selects;
 * - a bare `$steps.step` (a flow-control target) becomes the child's entry steps — those that
 *   depend on no other child step and that no child step controls — so a condition in front of
 *   the inner workflow gates all of it. (Roboflow targets only the child's first step.)
 *
 * Nested inner workflows are inlined innermost first, at most INNER_WORKFLOW_LIMITS deep and in
 * number. A saved workflow named by `workflow_workspace_id`/`workflow_id` must have been put in
 * its place before compiling (inner-workflow-references.ts): compiling is synchronous and knows
 * no store. Every problem is collected as an issue with its pointer into the given definition.
 */
import { isRecord } from "@cvflow/wire";
import { parseDefinition, type DefinitionInput, type DefinitionOutput, type DefinitionStep, type ParsedDefinition } from "./definition.js";
import { pointerSegment, type WorkflowIssue } from "./errors.js";
import { isSelectorLike, parseSelector } from "./selectors.js";

export const INNER_WORKFLOW_TYPE = "roboflow_core/inner_workflow@v1";

/** Roboflow's defaults (WORKFLOWS_MAX_INNER_WORKFLOW_DEPTH, WORKFLOWS_MAX_INNER_WORKFLOW_COUNT). */
export const INNER_WORKFLOW_LIMITS = { depth: 4, count: 32 } as const;

export interface InlinedDefinition {
  parsed: ParsedDefinition;
  /** Inner-workflow steps that could not be inlined (reported): references to them are not reported again. */
  broken: string[];
  /** Pointers of what was reported here (or follows from it): the compiler does not report them again. */
  reported: ReadonlySet<string>;
}

/** An output at some level: what it selects may have become a literal (a child input bound to a value). */
interface LevelOutput {
  name: string;
  value: unknown;
  coordinatesSystem: "parent" | "own";
  pointer: string;
}

interface Level {
  steps: DefinitionStep[];
  outputs: LevelOutput[];
  broken: string[];
}

interface Expansion {
  steps: DefinitionStep[];
  outputs: ReadonlyMap<string, unknown>;
  entries: string[];
  broken: string[];
}

interface Walk {
  issues: WorkflowIssue[];
  reported: Set<string>;
  count: number;
}

export function inlineInnerWorkflows(parsed: ParsedDefinition, issues: WorkflowIssue[]): InlinedDefinition {
  if (!parsed.steps.some(isInner)) return { parsed, broken: [], reported: new Set() };
  const walk: Walk = { issues, reported: new Set(), count: 0 };
  const level = inlineLevel(parsed.steps, parsed.outputs.map(levelOutput), walk, []);
  const outputs = level.outputs.flatMap((o): DefinitionOutput[] => {
    if (typeof o.value === "string") return [{ name: o.name, selector: o.value, coordinatesSystem: o.coordinatesSystem, pointer: o.pointer }];
    walk.reported.add(`${o.pointer}/selector`);
    issues.push({
      code: "invalid_output",
      message: `Output "${o.name}": the inner workflow output it selects is the literal value its input is bound to, not a step's or input's value`,
      pointer: `${o.pointer}/selector`,
      property: "selector",
    });
    return [];
  });
  return { parsed: { ...parsed, steps: level.steps, outputs }, broken: level.broken, reported: walk.reported };
}

function isInner(step: DefinitionStep): boolean {
  return step.type === INNER_WORKFLOW_TYPE;
}

function levelOutput(o: DefinitionOutput): LevelOutput {
  return { name: o.name, value: o.selector, coordinatesSystem: o.coordinatesSystem, pointer: o.pointer };
}

/** One workflow's steps with their inner workflows inlined; `chain`: the inner steps enclosing it. */
function inlineLevel(steps: readonly DefinitionStep[], outputs: readonly LevelOutput[], walk: Walk, chain: readonly string[]): Level {
  const used = new Set(steps.map((s) => s.name));
  const expansions = new Map<string, Expansion>();
  const broken: string[] = [];
  const flat: DefinitionStep[] = [];
  for (const step of steps) {
    if (!isInner(step)) {
      flat.push(step);
      continue;
    }
    const expansion = expand(step, walk, chain, used);
    if (expansion) {
      expansions.set(step.name, expansion);
      flat.push(...expansion.steps);
      broken.push(...expansion.broken);
    } else {
      broken.push(step.name);
    }
  }
  if (expansions.size === 0) return { steps: flat, outputs: [...outputs], broken };
  const rewrite = (value: unknown, at: string): unknown => rewriteParentRefs(value, at, expansions, walk);
  return {
    steps: flat.map((s) => ({ ...s, raw: rewriteFields(s, rewrite) })),
    outputs: outputs.map((o) => ({ ...o, value: mapLeaves(o.value, `${o.pointer}/selector`, rewrite) })),
    broken,
  };
}

function expand(step: DefinitionStep, walk: Walk, chain: readonly string[], used: Set<string>): Expansion | undefined {
  const { issues } = walk;
  const at = step.pointer;
  const report = (code: string, message: string, pointer = at, property?: string): undefined => {
    walk.reported.add(pointer);
    issues.push({ code, message: `Step "${step.name}": ${message}`, pointer, step: step.name, ...(property ? { property } : {}) });
    return undefined;
  };
  const path = [...chain, step.name];
  walk.count += 1;
  if (walk.count === INNER_WORKFLOW_LIMITS.count + 1) {
    return report("inner_workflow_limit", `the definition has more than ${INNER_WORKFLOW_LIMITS.count} inner workflow steps, all nestings counted`);
  }
  if (walk.count > INNER_WORKFLOW_LIMITS.count) return undefined;
  if (path.length > INNER_WORKFLOW_LIMITS.depth) {
    return report("inner_workflow_limit", `inner workflows nest ${path.length} deep here (${path.join(" > ")}); at most ${INNER_WORKFLOW_LIMITS.depth} are allowed`);
  }

  const definition = step.raw["workflow_definition"];
  const inline = isRecord(definition) && Object.keys(definition).length > 0;
  const reference = referenceOf(step.raw);
  if (inline && reference) {
    return report("invalid_field", "give either workflow_definition or workflow_workspace_id and workflow_id, not both", at);
  }
  if (!inline) {
    if (reference) {
      return report("inner_workflow_unresolved", `the saved workflow ${reference} it refers to was not loaded before compiling: only the service, which reads saved workflows, can compile this step`, `${at}/workflow_id`, "workflow_id");
    }
    return report("missing_field", "needs a non-empty workflow_definition object, or both workflow_workspace_id and workflow_id", `${at}/workflow_definition`, "workflow_definition");
  }

  const root = `${at}/workflow_definition`;
  const childIssues: WorkflowIssue[] = [];
  const child = parseDefinition(definition, childIssues);
  issues.push(...childIssues.map((i) => ({ ...i, pointer: root + i.pointer })));
  if (!child) return undefined;
  const inputs = new Map<string, DefinitionInput>();
  for (const input of child.inputs) {
    if (inputs.has(input.name)) report("duplicate_name", `its workflow has two inputs named "${input.name}"`, `${root}${input.pointer}/name`);
    else inputs.set(input.name, input);
  }
  const childNames = new Set<string>();
  for (const s of child.steps) {
    if (childNames.has(s.name)) report("duplicate_name", `its workflow has two steps named "${s.name}"`, `${root}${s.pointer}/name`);
    childNames.add(s.name);
  }
  const inner = inlineLevel(
    child.steps.map((s) => ({ ...s, pointer: root + s.pointer })),
    child.outputs.map((o) => ({ ...levelOutput(o), pointer: root + o.pointer })),
    walk,
    path,
  );

  const rawBindings = step.raw["parameter_bindings"] ?? {};
  if (!isRecord(rawBindings)) return report("invalid_field", "parameter_bindings must be an object: child input name -> selector or value", `${at}/parameter_bindings`, "parameter_bindings");
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(rawBindings)) {
    if (inputs.has(name)) values.set(name, value);
    else report("undefined_input", `parameter_bindings names "${name}", which its workflow does not declare as an input (it has: ${[...inputs.keys()].join(", ") || "none"})`, `${at}/parameter_bindings/${pointerSegment(name)}`, "parameter_bindings");
  }
  const unbound = [...inputs.values()].filter((i) => !values.has(i.name) && !(i.type === "parameter" && i.defaultValue !== null));
  if (unbound.length > 0) {
    report("missing_binding", `parameter_bindings must bind ${unbound.map((i) => `"${i.name}"`).join(", ")}: only a WorkflowParameter with a default_value may be left out`, `${at}/parameter_bindings`, "parameter_bindings");
  }
  for (const input of inputs.values()) if (!values.has(input.name) && input.type === "parameter" && input.defaultValue !== null) values.set(input.name, input.defaultValue);

  const renamed = new Map<string, string>();
  for (const name of [...inner.steps.map((s) => s.name), ...inner.broken]) renamed.set(name, uniqueName(`${step.name}__${name}`, used));
  const rewrite = (value: unknown, pointer: string): unknown => rewriteChildRefs(value, pointer, { inputs, values, renamed }, report, walk.reported);
  const steps = inner.steps.map((s) => ({ ...s, name: renamed.get(s.name)!, raw: { ...rewriteFields(s, rewrite), name: renamed.get(s.name)! } }));
  if (steps.length === 0 && inner.broken.length === 0) return report("invalid_field", "its workflow has no steps to run", `${root}/steps`, "workflow_definition");
  const outputs = new Map<string, unknown>();
  for (const o of inner.outputs) {
    if (outputs.has(o.name)) report("duplicate_name", `its workflow has two outputs named "${o.name}"`, `${o.pointer}/name`);
    else outputs.set(o.name, rewrite(o.value, `${o.pointer}/selector`));
  }
  return { steps, outputs, entries: entrySteps(steps), broken: inner.broken.map((n) => renamed.get(n)!) };
}

function referenceOf(raw: Readonly<Record<string, unknown>>): string | undefined {
  const text = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string).trim() : "");
  const workspace = text("workflow_workspace_id");
  const id = text("workflow_id");
  if (!workspace || !id) return undefined;
  const version = text("workflow_version_id");
  return `"${workspace}/${id}"${version ? ` (version ${version})` : ""}`;
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}__${n}`;
  used.add(name);
  return name;
}

type Rewrite = (value: unknown, pointer: string) => unknown;

/** A step's fields with every selector rewritten; `type` and `name` are not references. */
function rewriteFields(step: DefinitionStep, rewrite: Rewrite): Record<string, unknown> {
  return Object.fromEntries(Object.entries(step.raw).map(([key, value]) => [
    key,
    key === "type" || key === "name" ? value : mapLeaves(value, `${step.pointer}/${pointerSegment(key)}`, rewrite),
  ]));
}

/** What a bare `$steps.inner` stands for: the inner workflow's entry steps, spliced into the list that named it. */
class Targets {
  constructor(readonly selectors: readonly string[]) {}

  /** Outside a list: the one target, or the list of them. */
  alone(): unknown {
    return this.selectors.length === 1 ? this.selectors[0] : [...this.selectors];
  }
}

/** Rewrites each leaf. */
function mapLeaves(value: unknown, at: string, rewrite: Rewrite): unknown {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, i): unknown[] => {
      const out = Array.isArray(item) || isRecord(item) ? mapLeaves(item, `${at}/${i}`, rewrite) : rewrite(item, `${at}/${i}`);
      return out instanceof Targets ? [...out.selectors] : [out];
    });
  }
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, `${at}/${pointerSegment(k)}`, rewrite)]));
  const out = rewrite(value, at);
  return out instanceof Targets ? out.alone() : out;
}

function rewriteChildRefs(
  value: unknown,
  at: string,
  child: { inputs: ReadonlyMap<string, DefinitionInput>; values: ReadonlyMap<string, unknown>; renamed: ReadonlyMap<string, string> },
  report: (code: string, message: string, pointer: string) => undefined,
  reported: Set<string>,
): unknown {
  if (!isSelectorLike(value)) return value;
  const selector = parseSelector(value);
  if ("error" in selector) return value; // the compiler reports it where it is bound
  if (selector.type === "input") {
    if (child.values.has(selector.name)) return structuredClone(child.values.get(selector.name));
    if (!child.inputs.has(selector.name)) report("undefined_input", `its workflow refers to input "${selector.name}", which it does not declare`, at);
    else reported.add(at); // an input left unbound: reported as a missing binding
    return value;
  }
  const name = child.renamed.get(selector.step);
  if (name === undefined) {
    report("undefined_step", `its workflow refers to step "${selector.step}", which it does not define`, at);
    return value;
  }
  return `$steps.${name}${selector.property === undefined ? "" : `.${selector.property}`}`;
}

function rewriteParentRefs(value: unknown, at: string, expansions: ReadonlyMap<string, Expansion>, walk: Walk): unknown {
  if (!isSelectorLike(value)) return value;
  const selector = parseSelector(value);
  if ("error" in selector || selector.type !== "step") return value;
  const expansion = expansions.get(selector.step);
  if (!expansion) return value;
  if (selector.property === undefined) {
    return new Targets(expansion.entries.map((name) => `$steps.${name}`));
  }
  if (!expansion.outputs.has(selector.property)) {
    walk.reported.add(at);
    walk.issues.push({
      code: "undefined_output",
      message: `"${value}" refers to output "${selector.property}" of inner workflow step "${selector.step}", which its workflow does not declare (it has: ${[...expansion.outputs.keys()].join(", ") || "none"})`,
      pointer: at,
      step: selector.step,
    });
    return value;
  }
  return structuredClone(expansion.outputs.get(selector.property));
}

/** The inlined steps that depend on no other inlined step and that none of them names as a target. */
function entrySteps(steps: readonly DefinitionStep[]): string[] {
  const names = new Set(steps.map((s) => s.name));
  const dependent = new Set<string>();
  for (const step of steps) {
    mapLeaves(step.raw, "", (leaf) => {
      if (!isSelectorLike(leaf)) return leaf;
      const selector = parseSelector(leaf);
      if ("error" in selector || selector.type !== "step" || !names.has(selector.step) || selector.step === step.name) return leaf;
      // `$steps.x.out`: this step depends on x; a bare `$steps.x`: this step controls x.
      dependent.add(selector.property === undefined ? selector.step : step.name);
      return leaf;
    });
  }
  return steps.map((s) => s.name).filter((name) => !dependent.has(name));
}
