/**
 * Dimensionality and lineage, assigned in dependency order.
 *
 * A step runs once per element of its level L. Each batch-oriented field reference brings data
 * of some level; minus the field's dimensionOffset that must equal L for all of them, and their
 * lineages (where each level came from) must agree. Data of level 0 (parameters, outputs of
 * steps that run once) is broadcast to any level. A step fed only level-0 data but gated by a
 * flow-control step that decides per element runs at that step's level. Steps that add a
 * dimension (crops, slices) output at L + 1 with their own name appended to the lineage.
 */
import type { DefinitionInput } from "./definition.js";
import type { WorkflowIssue } from "./errors.js";
import type { Binding, DataShape, PlanStep } from "./plan.js";
import { references } from "./bind.js";

interface Reference {
  field: string;
  binding: Extract<Binding, { t: "input" | "output" }>;
  shape: DataShape;
}

export function inputShape(input: DefinitionInput): DataShape {
  return { level: input.dimensionality, lineage: new Array<string>(input.dimensionality).fill("$inputs") };
}

function sameLineage(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function assignDimensions(
  ordered: readonly PlanStep[],
  steps: ReadonlyMap<string, PlanStep>,
  inputs: ReadonlyMap<string, DefinitionInput>,
  issues: WorkflowIssue[],
): void {
  for (const step of ordered) {
    const report = (code: string, message: string, property?: string): void => {
      issues.push({ code, message: `Step "${step.name}": ${message}`, pointer: property ? `${step.pointer}/${property}` : step.pointer, step: step.name, ...(property ? { property } : {}) });
    };
    const batched: Reference[] = [];
    for (const [field, binding] of step.fields) {
      const spec = step.manifest.fields[field]!;
      for (const ref of references(binding)) {
        const producer = ref.t === "output" ? steps.get(ref.step) : undefined;
        if (ref.t === "output" && !producer) continue; // its block is unknown: reported already
        const shape = producer ? producer.output : inputShape(inputs.get((ref as { name: string }).name)!);
        ref.level = shape.level;
        if (shape.level === 0) {
          if (ref.offset === 1) report("dimensionality_mismatch", `"${field}" needs a batch of elements nested one level below the step, but ${describe(ref)} is a single value`, field);
          continue;
        }
        if (step.block.runBatch && !spec.batched) {
          report("dimensionality_mismatch", `"${field}" takes one value for the whole batch, but ${describe(ref)} holds one value per element (dimensionality ${shape.level})`, field);
          continue;
        }
        batched.push({ field, binding: ref, shape });
      }
    }

    let level = 0;
    let lineage: readonly string[] = [];
    const reference = batched.reduce<Reference | undefined>((best, r) => (!best || stepLevelOf(r) > stepLevelOf(best) ? r : best), undefined);
    if (reference) {
      level = stepLevelOf(reference);
      lineage = reference.shape.lineage.slice(0, level);
      step.shapeFrom = reference.binding.t === "input" ? { t: "input", name: reference.binding.name } : { t: "output", step: reference.binding.step };
      for (const r of batched) {
        if (stepLevelOf(r) !== level) {
          report(
            "dimensionality_mismatch",
            `its inputs have different dimensionality: ${batched.map((x) => `"${x.field}" (${describe(x.binding)}) is ${x.shape.level}${x.binding.offset ? " (read one level deeper)" : ""}`).join(", ")}`,
            r.field,
          );
          break;
        }
        if (!sameLineage(r.shape.lineage.slice(0, level), lineage)) {
          report("lineage_mismatch", `"${r.field}" (${describe(r.binding)}) comes from batch ${r.shape.lineage.join(" > ")} but "${reference.field}" from ${reference.shape.lineage.join(" > ")}; elements of unrelated batches cannot be paired`, r.field);
          break;
        }
      }
    }

    for (const name of step.controlledBy) {
      const controller = steps.get(name)!;
      if (controller.level > level && !reference) {
        // Only scalars feed this step, but its gate decides per element: it runs per element.
        level = controller.level;
        lineage = controller.lineage;
        step.shapeFrom = { t: "decision", step: name };
      }
    }
    for (const name of step.controlledBy) {
      const controller = steps.get(name)!;
      if (controller.level > level) {
        report("dimensionality_mismatch", `it is gated by "${name}", which decides per element at dimensionality ${controller.level}, deeper than the step itself (${level})`);
      } else if (!sameLineage(controller.lineage, lineage.slice(0, controller.level))) {
        report("lineage_mismatch", `it is gated by "${name}", which decides over batch ${controller.lineage.join(" > ")}, unrelated to the step's own ${lineage.join(" > ")}`);
      }
    }

    step.level = level;
    step.lineage = lineage;
    step.output = step.manifest.outputDimensionOffset === 1 ? { level: level + 1, lineage: [...lineage, step.name] } : { level, lineage };
  }
}

function stepLevelOf(r: Reference): number {
  return r.shape.level - r.binding.offset;
}

function describe(ref: Extract<Binding, { t: "input" | "output" }>): string {
  return ref.t === "input" ? `$inputs.${ref.name}` : `$steps.${ref.step}.${ref.property}`;
}
