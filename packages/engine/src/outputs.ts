/**
 * Output assembly: one object per element of the top-level batch (one object when the run has
 * no batch), each output nested as deep as its dimensionality below the top level; skipped
 * elements are null, elements that produced no children [].
 */
import type { RunState } from "./executor.js";
import { SKIP } from "./nested.js";
import type { CompiledWorkflow, PlanOutput } from "./plan.js";
import { serializeValue, type ValueSerializer } from "./serialize.js";

export interface AssembleOptions {
  excludedFields?: readonly string[];
  /** false: runtime values as they are (Detections, images), for callers in-process. */
  serialize?: boolean;
  serializers?: readonly ValueSerializer[];
}

export async function assembleOutputs(plan: CompiledWorkflow, state: RunState, options: AssembleOptions = {}): Promise<Record<string, unknown>[]> {
  const excluded = new Set(options.excludedFields ?? []);
  const outputs = plan.outputs.filter((o) => !excluded.has(o.name));
  const size = topLevelSize(plan, state);
  const result: Record<string, unknown>[] = [];
  const serializing: Promise<void>[] = [];
  for (let i = 0; i < size; i++) {
    const element: Record<string, unknown> = {};
    for (const output of outputs) {
      const leafOf = leafReader(output);
      const data = sourceData(output, state);
      const value = output.level === 0 ? leafOf(data) : nest(data === SKIP ? SKIP : (data as unknown[])[i], output.level - 1, leafOf);
      element[output.name] = value;
      if (options.serialize !== false) {
        serializing.push(serializeValue(value, { coordinatesSystem: output.coordinatesSystem }, options.serializers).then((json) => void (element[output.name] = json)));
      }
    }
    result.push(element);
  }
  await Promise.all(serializing);
  return result;
}

function sourceData(output: PlanOutput, state: RunState): unknown {
  return output.source.t === "input" ? state.inputs.get(output.source.name) : state.outputs.get(output.source.step);
}

function leafReader(output: PlanOutput): (leaf: unknown) => unknown {
  const source = output.source;
  if (source.t === "input") return (leaf) => leaf;
  return (leaf) => (leaf === SKIP || leaf === undefined ? null : source.property === undefined ? leaf : (leaf as Record<string, unknown>)[source.property]);
}

function nest(node: unknown, levels: number, leafOf: (leaf: unknown) => unknown): unknown {
  if (levels === 0) return leafOf(node);
  if (node === SKIP || node === undefined) return null;
  return (node as readonly unknown[]).map((child) => nest(child, levels - 1, leafOf));
}

/** Batch outputs give the length; else the input batch; a run without batches has one result. */
function topLevelSize(plan: CompiledWorkflow, state: RunState): number {
  const batched = plan.outputs.find((o) => o.level > 0);
  if (batched) {
    const data = sourceData(batched, state);
    return Array.isArray(data) ? data.length : 0;
  }
  return state.batchSize ?? 1;
}
