/**
 * How long a run keeps what its steps produce, and what is loaded before a block runs.
 *
 * A step's outputs are dropped once every step that reads them has finished, unless a workflow
 * output selects them: a chain of steps that each make an image holds one or two of them at a
 * time, not one per step.
 *
 * Values that come in on first need (LOAD: an image decoded only when its pixels are read) are
 * loaded before a block gets them, except in the block's `deferLoad` fields — and there too when
 * another reader of the same data will need it loaded anyway, so that it is decoded once, not
 * once resized for one reader and again in full for the next.
 */
import { isLoadable, LOAD } from "./block.js";
import type { Binding, CompiledWorkflow, PlanStep } from "./plan.js";

export class OutputLifetimes {
  private readonly readers = new Map<string, number>();
  private readonly kept = new Set<string>();

  constructor(plan: CompiledWorkflow) {
    for (const output of plan.outputs) if (output.source.t === "output") this.kept.add(output.source.step);
    for (const step of plan.steps) {
      this.readers.set(step.name, this.readers.get(step.name) ?? 0);
      for (const producer of new Set(step.dependsOn)) this.readers.set(producer, (this.readers.get(producer) ?? 0) + 1);
    }
  }

  /** `step` has finished: the steps whose outputs nothing will read any more (itself, when nothing reads it). */
  finished(step: PlanStep): string[] {
    const released: string[] = [];
    if (this.readers.get(step.name) === 0 && !this.kept.has(step.name)) released.push(step.name);
    for (const producer of new Set(step.dependsOn)) {
      const left = this.readers.get(producer)! - 1;
      this.readers.set(producer, left);
      if (left === 0 && !this.kept.has(producer)) released.push(producer);
    }
    return released;
  }
}

/** Per step, the fields whose values are loaded before the block runs. */
export function fieldsToLoad(plan: CompiledWorkflow): Map<string, string[]> {
  const loadedAnyway = new Set<string>();
  for (const step of plan.steps) {
    for (const [field, binding] of step.fields) {
      if (!step.manifest.fields[field]?.deferLoad) for (const source of sourcesOf(binding)) loadedAnyway.add(source);
    }
  }
  const result = new Map<string, string[]>();
  for (const step of plan.steps) {
    const fields = step.fields.filter(([field, binding]) => {
      const sources = sourcesOf(binding);
      return sources.length > 0 && (!step.manifest.fields[field]?.deferLoad || sources.some((s) => loadedAnyway.has(s)));
    });
    result.set(step.name, fields.map(([field]) => field));
  }
  return result;
}

function sourcesOf(binding: Binding): string[] {
  switch (binding.t) {
    case "input":
      return [`$inputs.${binding.name}`];
    case "output":
      return [`$steps.${binding.step}`];
    case "list":
      return binding.items.flatMap(sourcesOf);
    case "dict":
      return binding.entries.flatMap(([, b]) => sourcesOf(b));
    default:
      return [];
  }
}

/** Loads what these fields of `params` hold (in lists and plain objects too); undefined when all is loaded already. */
export function loadParams(params: Readonly<Record<string, unknown>>, fields: readonly string[]): Promise<unknown> | undefined {
  const pending: Promise<void>[] = [];
  for (const field of fields) collect(params[field], pending);
  return pending.length > 0 ? Promise.all(pending) : undefined;
}

function collect(value: unknown, pending: Promise<void>[]): void {
  if (typeof value !== "object" || value === null) return;
  if (isLoadable(value)) {
    const loading = value[LOAD]();
    if (loading) pending.push(loading);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, pending);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collect(item, pending);
  }
}
