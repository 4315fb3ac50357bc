/**
 * Runs a compiled plan. Ready-driven: a step starts as soon as everything it depends on has
 * finished, with at most `maxConcurrency` steps (and elements of an async step) in flight. One
 * AbortSignal carries cancellation and the deadline into every block; when it fires, the run
 * rejects at once with what had finished, whatever the blocks still do.
 *
 * With checkpoints, a step is restored instead of run when its checkpoint is there, and saved
 * when it finishes. A step that must wait for a person (InputRequired) stops its own branch
 * only: the steps that do not depend on it still run (and are saved), then the run rejects
 * with the InputRequired.
 */
import { isFlowDecision, type BlockContext, type BlockOutputs, type BlockServices, type FlowDecision } from "./block.js";
import type { StepCheckpoints, StepTiming } from "./checkpoints.js";
import { deadlineExceeded, runCancelled, StepExecutionError, WorkflowError } from "./errors.js";
import type { StepEvent, TraceEvent } from "./events.js";
import { InputRequired } from "./human-input.js";
import { dataAt, SKIP } from "./nested.js";
import type { Binding, CompiledWorkflow, PlanStep } from "./plan.js";
import { stepNameOf } from "./selectors.js";
import { fieldsToLoad, loadParams, OutputLifetimes } from "./value-lifetimes.js";

/** Where a flow-control step keeps its decision inside its (otherwise empty) output record. */
export const DECISION: unique symbol = Symbol("decision");

export interface ExecuteOptions {
  /** Cancellation and the deadline (an AbortSignal.timeout's TimeoutError becomes `deadline_exceeded`, 504). */
  signal?: AbortSignal;
  maxConcurrency?: number;
  services?: BlockServices;
  onEvent?: (event: StepEvent) => void;
  profiling?: boolean;
  /** Restores finished steps of an earlier attempt, and keeps each step's output as it finishes. */
  checkpoints?: StepCheckpoints;
}

export interface RunState {
  inputs: ReadonlyMap<string, unknown>;
  /** Per step, its output records nested by level (SKIP where not run). */
  outputs: Map<string, unknown>;
  batchSize: number | undefined;
  trace: TraceEvent[];
}

interface Job {
  index: readonly number[];
  params: Record<string, unknown>;
  holder: unknown[];
  position: number;
}

export async function executePlan(plan: CompiledWorkflow, inputs: ReadonlyMap<string, unknown>, batchSize: number | undefined, options: ExecuteOptions = {}): Promise<RunState> {
  const state: RunState = { inputs, outputs: new Map(), batchSize, trace: [] };
  const failure = new AbortController();
  const signals = [failure.signal];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const limit = Math.max(1, options.maxConcurrency ?? 8);
  const started = performance.now();

  const waiting = new Map(plan.steps.map((s) => [s.name, new Set(s.dependsOn)]));
  const dependents = new Map<string, PlanStep[]>();
  for (const s of plan.steps) for (const d of s.dependsOn) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(s);
  const ready = plan.steps.filter((s) => s.dependsOn.length === 0);
  const lifetimes = new OutputLifetimes(plan);
  const toLoad = fieldsToLoad(plan);
  const finished: string[] = [];
  const running = new Set<string>();
  const restored = new Set<string>();
  let waitingFor: InputRequired | undefined;

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const stop = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      failure.abort(error);
      reject(error);
    };
    const onAbort = (): void => stop(abortError(signal.reason, finished, [...running]));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });

    const pump = (): void => {
      while (!settled && ready.length > 0 && running.size < limit) {
        const step = ready.shift()!;
        running.add(step.name);
        const restorable = options.checkpoints !== undefined && step.dependsOn.every((d) => restored.has(d));
        settleStep(step, restorable, plan, state, signal, limit, started, options, toLoad.get(step.name)!).then(
          (reused) => {
            running.delete(step.name);
            if (reused) restored.add(step.name);
            finished.push(step.name);
            for (const name of lifetimes.finished(step)) state.outputs.delete(name);
            for (const next of dependents.get(step.name) ?? []) {
              const left = waiting.get(next.name)!;
              left.delete(step.name);
              if (left.size === 0) ready.push(next);
            }
            pump();
          },
          (error: unknown) => {
            if (!(error instanceof InputRequired)) return stop(error);
            // This branch waits; the others go on. The first request is the one the run waits for.
            running.delete(step.name);
            waitingFor ??= error;
            pump();
          },
        );
      }
      if (!settled && running.size === 0 && ready.length === 0) {
        settled = true;
        signal.removeEventListener("abort", onAbort);
        if (waitingFor) reject(waitingFor);
        else resolve();
      }
    };
    pump();
  });
  return state;
}

/** Why a run stopped, from its signal's reason: the deadline (504), a cancellation, or a failure. */
export function abortError(reason: unknown, finished: readonly string[] = [], running: readonly string[] = []): WorkflowError {
  if (reason instanceof WorkflowError) return reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") return deadlineExceeded(finished, running);
  return runCancelled(undefined, { finished, running });
}

/** Restores the step from its checkpoint when it may and can (resolves true), else runs it (and saves it). */
async function settleStep(
  step: PlanStep,
  restorable: boolean,
  plan: CompiledWorkflow,
  state: RunState,
  signal: AbortSignal,
  limit: number,
  runStart: number,
  options: ExecuteOptions,
  toLoad: readonly string[],
): Promise<boolean> {
  const t0 = performance.now();
  const base = { step: step.name, block: step.manifest.type };
  try {
    const checkpoint = restorable ? await options.checkpoints!.restore(step.name, signal) : undefined;
    if (checkpoint) {
      state.outputs.set(step.name, checkpoint.output);
      const { durationMs, elements, skipped } = checkpoint.timing;
      options.onEvent?.({ type: "step_finished", ...base, timestamp: Date.now(), durationMs, elements, skipped, reused: true });
      return true;
    }
  } catch (error) {
    throw failed(step, error, signal, t0, options);
  }
  const startedAt = Date.now();
  options.onEvent?.({ type: "step_started", ...base, timestamp: startedAt });
  try {
    const root: unknown[] = [SKIP];
    const jobs: Job[] = [];
    const skipped = collectJobs(step, plan, state, root, jobs);
    if (step.block.runBatch) await runBatchJobs(step, jobs, signal, options.services, toLoad);
    else await runElementJobs(step, jobs, signal, limit, options.services, toLoad);
    const t1 = performance.now();
    const timing: StepTiming = { startedAt, durationMs: t1 - t0, elements: jobs.length, skipped };
    await options.checkpoints?.save(step.name, root[0], timing, signal);
    state.outputs.set(step.name, root[0]);
    options.onEvent?.({ type: "step_finished", ...base, timestamp: Date.now(), durationMs: timing.durationMs, elements: jobs.length, skipped });
    if (options.profiling) {
      state.trace.push({ name: step.name, cat: "workflow_step", ph: "X", ts: Math.round((t0 - runStart) * 1000), dur: Math.round((t1 - t0) * 1000), pid: process.pid, tid: 0, args: { block: step.manifest.type, elements: jobs.length, skipped } });
    }
    return false;
  } catch (error) {
    throw failed(step, error, signal, t0, options);
  }
}

/** What a step's failure rejects with: a WorkflowError it reported as `step_failed`, or what needs no report. */
function failed(step: PlanStep, error: unknown, signal: AbortSignal, t0: number, options: ExecuteOptions): unknown {
  // The run is over already (the scheduler reports why), or the step waits for a person: no failure of the step.
  if (signal.aborted || error instanceof InputRequired) return error;
  const wrapped = error instanceof WorkflowError ? error : new StepExecutionError(step.name, error);
  options.onEvent?.({ type: "step_failed", step: step.name, block: step.manifest.type, timestamp: Date.now(), durationMs: performance.now() - t0, error: wrapped.toJSON() });
  return wrapped;
}

/**
 * Walks the step's level, building its output skeleton, and lists the elements to run with
 * their parameters. Elements gated off by flow control, or missing a skipped input, are SKIP.
 */
function collectJobs(step: PlanStep, plan: CompiledWorkflow, state: RunState, root: unknown[], jobs: Job[]): number {
  let skipped = 0;
  const acceptsEmpty = step.manifest.acceptsEmpty === true;
  const gates = step.controlledBy.map((name) => ({ name, level: plan.stepsByName.get(name)!.level }));
  const walk = (node: unknown, depth: number, index: number[], holder: unknown[], position: number): void => {
    if (depth === step.level) {
      const params = gated(index) ? SKIP : gather(step, state, index, acceptsEmpty);
      if (params === SKIP) {
        holder[position] = SKIP;
        skipped++;
      } else jobs.push({ index, params, holder, position });
      return;
    }
    if (node === SKIP || node === undefined) {
      holder[position] = SKIP;
      return;
    }
    const children = node as readonly unknown[];
    const out = new Array<unknown>(children.length);
    holder[position] = out;
    for (let i = 0; i < children.length; i++) walk(children[i], depth + 1, [...index, i], out, i);
  };
  const gated = (index: readonly number[]): boolean =>
    gates.some(({ name, level }) => {
      const record = dataAt(state.outputs.get(name), index, level);
      return record === SKIP || !(record as { [DECISION]: Set<string> })[DECISION].has(step.name);
    });
  walk(shapeOf(step, state), 0, [], root, 0);
  return skipped;
}

function shapeOf(step: PlanStep, state: RunState): unknown {
  const from = step.shapeFrom;
  if (!from) return undefined;
  return from.t === "input" ? state.inputs.get(from.name) : state.outputs.get(from.step);
}

function gather(step: PlanStep, state: RunState, index: readonly number[], acceptsEmpty: boolean): Record<string, unknown> | typeof SKIP {
  const params: Record<string, unknown> = {};
  for (const [field, binding] of step.fields) {
    // A null parameter reaches only a field whose default is null (parameter-checks.ts refuses it elsewhere).
    const value = resolve(binding, state, index, acceptsEmpty);
    if (value === SKIP) return SKIP;
    const coerce = step.coercions.get(field);
    params[field] = coerce ? coerce(value) : value;
  }
  return params;
}

/** A binding's value for one element; SKIP when it depends on something skipped (unless accepted as null). */
function resolve(binding: Binding, state: RunState, index: readonly number[], acceptsEmpty: boolean): unknown {
  switch (binding.t) {
    case "literal":
      return binding.value;
    case "target":
      return binding.text;
    case "input": {
      const data = state.inputs.get(binding.name);
      if (binding.level === 0) return data;
      const value = dataAt(data, index, binding.level - binding.offset);
      // A null element of a batch input is an empty element, like a null a step produced.
      if (value === null || value === SKIP) return acceptsEmpty ? null : SKIP;
      return binding.offset === 1 ? children(value as readonly unknown[], acceptsEmpty) : value;
    }
    case "output": {
      const data = state.outputs.get(binding.step);
      const depth = binding.level === 0 ? 0 : binding.level - binding.offset;
      const node = dataAt(data, index, depth);
      if (node === SKIP) return acceptsEmpty ? null : SKIP;
      if (binding.offset === 1 && binding.level > 0) {
        return children((node as readonly unknown[]).map((record) => (record === SKIP ? null : (record as BlockOutputs)[binding.property] ?? null)), acceptsEmpty);
      }
      const value = (node as BlockOutputs)[binding.property];
      // A batch element a step produced as null (a crop of zero area, say) is an empty element,
      // as in the grammar's reference engine: steps that need it skip it, unless they accept empty values.
      if ((value === null || value === undefined) && binding.level > 0) return acceptsEmpty ? null : SKIP;
      return value;
    }
    case "list": {
      const out = new Array<unknown>(binding.items.length);
      for (let i = 0; i < out.length; i++) {
        const v = resolve(binding.items[i]!, state, index, acceptsEmpty);
        if (v === SKIP) return SKIP;
        out[i] = v;
      }
      return out;
    }
    case "dict": {
      const out: Record<string, unknown> = {};
      for (const [key, b] of binding.entries) {
        const v = resolve(b, state, index, acceptsEmpty);
        if (v === SKIP) return SKIP;
        out[key] = v;
      }
      return out;
    }
  }
}

/**
 * An element's children read one level deeper (what DimensionCollapse gathers): those not produced
 * are left out, as the reference engine removes empty elements from a block's inputs, unless the
 * block accepts empty values — then they stay in place as null.
 */
function children(values: readonly unknown[], acceptsEmpty: boolean): readonly unknown[] {
  return acceptsEmpty ? values : values.filter((value) => value !== null && value !== undefined);
}

function context(step: PlanStep, index: readonly number[], signal: AbortSignal, services: BlockServices | undefined): BlockContext {
  return { signal, step: step.name, index, services: services ?? {} };
}

function place(step: PlanStep, job: Job, result: unknown): void {
  if (step.manifest.flowControl) {
    if (!isFlowDecision(result)) throw new StepExecutionError(step.name, new Error("a flow-control block must return { next: [...] }"), job.index);
    job.holder[job.position] = { [DECISION]: decisionSet(step, result, job.index) };
    return;
  }
  if (step.manifest.outputDimensionOffset === 1) {
    if (!Array.isArray(result) || result.some((r) => typeof r !== "object" || r === null)) {
      throw new StepExecutionError(step.name, new Error("the block adds a dimension, so it must return a list of output records"), job.index);
    }
  } else if (typeof result !== "object" || result === null || Array.isArray(result)) {
    throw new StepExecutionError(step.name, new Error("the block must return an object of outputs"), job.index);
  }
  job.holder[job.position] = result;
}

function decisionSet(step: PlanStep, decision: FlowDecision, index: readonly number[]): Set<string> {
  const names = new Set(decision.next.map(stepNameOf));
  for (const name of names) {
    if (!step.targets.includes(name)) throw new StepExecutionError(step.name, new Error(`it chose "${name}", which it does not name as a next step`), index);
  }
  return names;
}

async function runElementJobs(
  step: PlanStep,
  jobs: readonly Job[],
  signal: AbortSignal,
  limit: number,
  services: BlockServices | undefined,
  toLoad: readonly string[],
): Promise<void> {
  const run = step.block.run!;
  const inFlight = new Set<Promise<void>>();
  for (const job of jobs) {
    signal.throwIfAborted();
    let result: unknown;
    try {
      const ctx = context(step, job.index, signal, services);
      const loading = loadParams(job.params, toLoad);
      result = loading ? loading.then(() => run(job.params, ctx)) : run(job.params, ctx);
    } catch (error) {
      throw wrap(step, error, job.index);
    }
    if (!(result instanceof Promise)) {
      place(step, job, result);
      continue;
    }
    const pending: Promise<void> = result.then(
      (value) => place(step, job, value),
      (error) => { throw wrap(step, error, job.index); },
    ).finally(() => inFlight.delete(pending));
    // Awaited below; this only keeps a failure after the step has already failed from going unhandled.
    pending.catch(() => {});
    inFlight.add(pending);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

async function runBatchJobs(step: PlanStep, jobs: readonly Job[], signal: AbortSignal, services: BlockServices | undefined, toLoad: readonly string[]): Promise<void> {
  if (jobs.length === 0) return;
  signal.throwIfAborted();
  const params: Record<string, unknown> = { ...jobs[0]!.params };
  for (const [field] of step.fields) {
    if (step.manifest.fields[field]!.batched) params[field] = jobs.map((j) => j.params[field]);
  }
  let results: unknown;
  try {
    await loadParams(params, toLoad);
    results = await step.block.runBatch!(params, context(step, [], signal, services));
  } catch (error) {
    throw wrap(step, error);
  }
  if (!Array.isArray(results) || results.length !== jobs.length) {
    throw new StepExecutionError(step.name, new Error(`a batch block must return one result per element (${jobs.length}), got ${Array.isArray(results) ? results.length : typeof results}`));
  }
  jobs.forEach((job, i) => place(step, job, results[i]));
}

function wrap(step: PlanStep, error: unknown, index?: readonly number[]): unknown {
  if (error instanceof StepExecutionError || error instanceof InputRequired) return error;
  return new StepExecutionError(step.name, error, index);
}
