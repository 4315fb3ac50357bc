/**
 * Output assembly, by the rules of the grammar's reference engine (docs/api.md, "How outputs are
 * built"), so that a client written against it reads the same shapes here:
 *
 * - There is one result per element of the input batch when some output is indexed by it, else
 *   exactly one (a run whose outputs are all single values, e.g. collapsed, has one result).
 * - An output of dimensionality L >= 1 indexed by the input batch gives each result its element,
 *   nested L - 1 deep. One indexed by a batch a step made from single values ("generated": a step
 *   at dimensionality 0 that adds one) is given whole, the same list, to every result.
 * - A nested level lists its elements up to the last one that holds any data: an element with
 *   nothing under it (skipped, or no children) is `[]`, `[[]]` two levels above the data, and so
 *   on; the empty ones at the end of an inner list are left out. An element at the data's own
 *   level that was not produced is `null`; for `$steps.x.*` it is every output of `x` as `null`.
 * - Excluded fields are dropped after this: they still count for the number of results.
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

/** The lineage of the input batch: the first level of every batch-oriented input. */
const INPUT_BATCH = "$inputs";

export async function assembleOutputs(plan: CompiledWorkflow, state: RunState, options: AssembleOptions = {}): Promise<Record<string, unknown>[]> {
  const excluded = new Set(options.excludedFields ?? []);
  const byInputBatch = plan.outputs.some((o) => o.level > 0 && o.lineage[0] === INPUT_BATCH);
  const size = byInputBatch ? (state.batchSize ?? 0) : 1;
  const result: Record<string, unknown>[] = Array.from({ length: size }, () => ({}));
  const serializing: Promise<void>[] = [];
  for (const output of plan.outputs) {
    if (excluded.has(output.name)) continue;
    const leafOf = leafReader(plan, output);
    const data = output.source.t === "input" ? state.inputs.get(output.source.name) : state.outputs.get(output.source.step);
    const valueFor = (i: number): unknown => {
      if (output.level === 0) return leafOf(data);
      if (output.lineage[0] === INPUT_BATCH) return element(data === SKIP ? SKIP : (data as readonly unknown[])[i], output.level, leafOf);
      return isList(data) ? data.map((child) => element(child, output.level, leafOf)) : [];
    };
    result.forEach((element, i) => {
      const value = valueFor(i);
      element[output.name] = value;
      if (options.serialize !== false) {
        serializing.push(serializeValue(value, { coordinatesSystem: output.coordinatesSystem }, options.serializers).then((json) => void (element[output.name] = json)));
      }
    });
  }
  await Promise.all(serializing);
  return result;
}

/** Reads one element at the output's own level; one that was not produced reads as null. */
function leafReader(plan: CompiledWorkflow, output: PlanOutput): (leaf: unknown) => unknown {
  const source = output.source;
  if (source.t === "input") return (leaf) => leaf ?? null;
  const property = source.property;
  if (property !== undefined) return (leaf) => (leaf === SKIP || leaf === undefined ? null : ((leaf as Record<string, unknown>)[property] ?? null));
  // `$steps.x.*`: every output of the step, each null where the step did not run.
  const names = plan.stepsByName.get(source.step)!.outputs.map((o) => o.name);
  return (leaf) => (leaf === SKIP || leaf === undefined ? Object.fromEntries(names.map((name) => [name, null])) : leaf);
}

/** One element of an output `levels` deep (>= 1) below the batch that indexes it. */
function element(node: unknown, levels: number, leafOf: (leaf: unknown) => unknown): unknown {
  if (levels === 1) return leafOf(node);
  return holdsData(node, levels - 1) ? nested(node as readonly unknown[], levels - 1, leafOf) : empty(levels - 1);
}

/** A list whose elements are `levels` deep (>= 1): up to its last element that holds data. */
function nested(list: readonly unknown[], levels: number, leafOf: (leaf: unknown) => unknown): unknown[] {
  if (levels === 1) return list.map(leafOf);
  let end = list.length;
  while (end > 0 && !holdsData(list[end - 1], levels - 1)) end--;
  return list.slice(0, end).map((child) => (holdsData(child, levels - 1) ? nested(child as readonly unknown[], levels - 1, leafOf) : empty(levels - 1)));
}

/** Whether a list whose elements are `levels` deep has any element at the data's level. */
function holdsData(node: unknown, levels: number): boolean {
  if (!isList(node)) return false;
  return levels === 1 ? node.length > 0 : node.some((child) => holdsData(child, levels - 1));
}

/** What an element with no data under it reads as, `levels` (>= 1) above the data: [], [[]], ... */
function empty(levels: number): unknown[] {
  return levels <= 1 ? [] : [empty(levels - 1)];
}

function isList(node: unknown): node is readonly unknown[] {
  return Array.isArray(node);
}
