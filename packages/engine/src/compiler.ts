/**
 * compileWorkflow: definition -> plan. One pass that collects every problem: names, block types,
 * fields, selectors, kinds, the step graph (cycles), dimensionality and lineage, flow control and
 * outputs. Either a CompiledWorkflow comes out, or a WorkflowCompileError listing them all.
 * Inner workflows are inlined first (inner-workflows.ts): the rest sees ordinary steps.
 */
import type { Block, OutputSpec } from "./block.js";
import { bindStep, references, targets, type Scope } from "./bind.js";
import { canonicalHash } from "./canonical.js";
import { BUILT_IN_KIND_CHECKS, fieldCoercion, type Coercion, type KindCheck } from "./coerce.js";
import { parseDefinition, type DefinitionInput, type DefinitionStep } from "./definition.js";
import { assignDimensions } from "./dimensions.js";
import { pointerSegment, WorkflowCompileError, type WorkflowIssue } from "./errors.js";
import { orderSteps } from "./graph.js";
import { inlineInnerWorkflows } from "./inner-workflows.js";
import { WILDCARD_KIND, type Kind } from "./kinds.js";
import { parameterChecks } from "./parameter-checks.js";
import type { CompiledWorkflow, PlanOutput, PlanStep } from "./plan.js";
import type { BlockRegistry } from "./registry.js";
import { parseSelector } from "./selectors.js";
import { suggest } from "./suggest.js";

export interface CompileOptions {
  /** The canonical hash, when the caller has it already. */
  hash?: string;
  /** Runtime checks of kinds beyond the built-in detection kinds (e.g. "image"). */
  kindChecks?: Readonly<Record<Kind, KindCheck>>;
}

export function compileWorkflow(definition: unknown, registry: BlockRegistry, options: CompileOptions = {}): CompiledWorkflow {
  const hash = options.hash ?? canonicalHash(definition);
  const checks = { ...BUILT_IN_KIND_CHECKS, ...options.kindChecks };
  const issues: WorkflowIssue[] = [];
  const warnings: WorkflowIssue[] = [];
  const given = parseDefinition(definition, issues);
  if (!given) throw new WorkflowCompileError(issues);
  const { parsed, broken, reported } = inlineInnerWorkflows(given, issues);
  const reportedBefore = issues.length;

  const inputs = unique(parsed.inputs, "input", issues);
  const stepDefs = unique(parsed.steps, "step", issues);

  const blocks = new Map<string, Block>();
  const scope: Scope = { inputs, steps: new Map() };
  for (const step of stepDefs.values()) {
    const block = registry.get(step.type);
    if (!block) {
      const close = suggest(step.type, registry.ids());
      issues.push({
        code: "unknown_block_type",
        message: `Step "${step.name}" uses block type "${step.type}", which does not exist here${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : ""}`,
        pointer: `${step.pointer}/type`,
        step: step.name,
        property: "type",
      });
      (scope.steps as Map<string, OutputSpec[] | undefined>).set(step.name, undefined);
      continue;
    }
    blocks.set(step.name, block);
    (scope.steps as Map<string, OutputSpec[] | undefined>).set(step.name, outputsOf(block, step));
  }
  // Inner workflows that could not be inlined are reported already, as unknown blocks are; what
  // their bindings select in this workflow is checked still, so that every problem is listed at once.
  for (const name of broken) (scope.steps as Map<string, OutputSpec[] | undefined>).set(name, undefined);
  for (const step of given.steps) if (broken.includes(step.name)) checkBindings(step, scope, issues);

  const steps = new Map<string, PlanStep>();
  for (const [name, block] of blocks) {
    const def = stepDefs.get(name)!;
    const fields = bindStep(def, block, scope, issues, warnings);
    const dependsOn = new Set<string>();
    const stepTargets = new Set<string>();
    for (const [, binding] of fields) {
      for (const ref of references(binding)) if (ref.t === "output") dependsOn.add(ref.step);
      for (const target of targets(binding)) stepTargets.add(target.step);
    }
    if (stepTargets.size > 0 && !block.manifest.flowControl) {
      issues.push({ code: "invalid_flow_control", message: `Step "${name}" names steps to run next, but its block ${block.manifest.type} is not a flow-control block`, pointer: def.pointer, step: name });
    }
    steps.set(name, {
      name,
      block,
      manifest: block.manifest,
      pointer: def.pointer,
      fields,
      coercions: new Map(fields.flatMap(([field]): [string, Coercion][] => {
        const coerce = fieldCoercion(name, field, block.manifest.fields[field]!, block.manifest.acceptsEmpty === true, checks);
        return coerce ? [[field, coerce]] : [];
      })),
      outputs: scope.steps.get(name) ?? [],
      dependsOn: [...dependsOn],
      controlledBy: [],
      targets: [...stepTargets],
      level: 0,
      lineage: [],
      output: { level: 0, lineage: [] },
      shapeFrom: undefined,
    });
  }
  for (const step of steps.values()) {
    for (const target of step.targets) {
      const controlled = steps.get(target);
      if (!controlled) continue; // its block is unknown: reported already
      controlled.controlledBy.push(step.name);
      controlled.dependsOn.push(step.name);
    }
  }

  // Dependencies on steps whose block is unknown are dropped: those steps are reported already.
  const deps = new Map([...steps].map(([name, s]) => [name, s.dependsOn.filter((d) => steps.has(d))]));
  const { order, cycles } = orderSteps(deps);
  for (const cycle of cycles) {
    const first = steps.get(cycle[0]!)!;
    issues.push({ code: "cycle", message: `Steps depend on each other in a cycle: ${cycle.join(" -> ")}`, pointer: first.pointer, step: first.name });
  }
  const ordered = order.map((name) => steps.get(name)!);
  assignDimensions(ordered, steps, inputs, issues);
  const outputs = parsed.outputs.flatMap((o) => compileOutput(o, inputs, steps, scope, issues));
  unique(parsed.outputs, "output", issues);

  if (issues.length > 0) {
    // What inlining reported is not reported again at the same place, in the compiler's words.
    throw new WorkflowCompileError([...issues.slice(0, reportedBefore), ...issues.slice(reportedBefore).filter((i) => !reported.has(i.pointer ?? ""))]);
  }
  return {
    parameterChecks: parameterChecks(ordered, inputs),
    hash,
    version: parsed.version,
    inputs: [...inputs.values()],
    steps: ordered,
    stepsByName: steps,
    outputs,
    warnings,
  };
}

/** The selectors an inner workflow step that could not be inlined binds its child's inputs to: each names an input or a step of this workflow. */
function checkBindings(step: DefinitionStep, scope: Scope, issues: WorkflowIssue[]): void {
  const bindings = step.raw["parameter_bindings"];
  if (typeof bindings !== "object" || bindings === null || Array.isArray(bindings)) return;
  for (const [name, value] of Object.entries(bindings)) {
    if (typeof value !== "string" || !value.startsWith("$")) continue;
    const parsed = parseSelector(value);
    const pointer = `${step.pointer}/parameter_bindings/${pointerSegment(name)}`;
    const report = (code: string, message: string): number => issues.push({ code, message: `Step "${step.name}": binding "${name}" ${message}`, pointer, step: step.name, property: "parameter_bindings" });
    if ("error" in parsed) report("invalid_selector", parsed.error);
    else if (parsed.type === "input" && !scope.inputs.has(parsed.name)) report("undefined_input", `refers to input "${parsed.name}", which is not declared in "inputs"`);
    else if (parsed.type !== "input" && !scope.steps.has(parsed.step)) report("undefined_step", `refers to step "${parsed.step}", which is not defined`);
  }
}

function outputsOf(block: Block, step: DefinitionStep): OutputSpec[] {
  const dynamic = block.manifest.dynamicOutputs?.(step.raw) ?? [];
  return [...block.manifest.outputs, ...dynamic];
}

function unique<T extends { name: string; pointer: string }>(items: readonly T[], what: string, issues: WorkflowIssue[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) {
    if (byName.has(item.name)) {
      issues.push({
        code: "duplicate_name",
        message: `Two ${what}s are named "${item.name}"; ${what} names must be unique`,
        pointer: `${item.pointer}/name`,
        ...(what === "step" ? { step: item.name } : {}),
      });
      continue;
    }
    byName.set(item.name, item);
  }
  return byName;
}

function compileOutput(
  output: { name: string; selector: string; coordinatesSystem: "parent" | "own"; pointer: string },
  inputs: ReadonlyMap<string, DefinitionInput>,
  steps: ReadonlyMap<string, PlanStep>,
  scope: Scope,
  issues: WorkflowIssue[],
): PlanOutput[] {
  const at = `${output.pointer}/selector`;
  const parsed = parseSelector(output.selector);
  const fail = (code: string, message: string): PlanOutput[] => {
    issues.push({ code, message: `Output "${output.name}": ${message}`, pointer: at, property: "selector" });
    return [];
  };
  if ("error" in parsed) return fail("invalid_selector", parsed.error);
  if (parsed.type === "input") {
    const input = inputs.get(parsed.name);
    if (!input) return fail("undefined_input", `refers to input "${parsed.name}", which is not declared in "inputs"`);
    const level = input.dimensionality;
    return [{ name: output.name, source: { t: "input", name: parsed.name }, level, lineage: new Array<string>(level).fill("$inputs"), kinds: input.kinds, coordinatesSystem: output.coordinatesSystem, pointer: output.pointer }];
  }
  if (!scope.steps.has(parsed.step)) return fail("undefined_step", `refers to step "${parsed.step}", which is not defined`);
  if (parsed.property === undefined) return fail("invalid_selector", `needs $steps.${parsed.step}.<output> or $steps.${parsed.step}.*`);
  const step = steps.get(parsed.step);
  if (!step) return []; // unknown block: reported already
  const wildcard = parsed.property === "*";
  const spec = wildcard ? undefined : step.outputs.find((o) => o.name === parsed.property);
  if (!wildcard && !spec) {
    return fail("undefined_output", `refers to "${parsed.property}" of step "${parsed.step}", which has no such output (it has: ${step.outputs.map((o) => o.name).join(", ") || "none"})`);
  }
  return [{
    name: output.name,
    source: { t: "output", step: parsed.step, property: wildcard ? undefined : parsed.property },
    level: step.output.level,
    lineage: step.output.lineage,
    kinds: spec ? spec.kinds : [WILDCARD_KIND],
    coordinatesSystem: output.coordinatesSystem,
    pointer: output.pointer,
  }];
}
