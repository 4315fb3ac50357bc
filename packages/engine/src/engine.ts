/**
 * WorkflowEngine: the one object callers need — compile (cached by the definition's canonical
 * hash), run, and describe the grammar. Blocks, runtime services and (de)serializers of
 * non-built-in kinds are plugged in; the engine itself knows nothing of HTTP, S3, images or ONNX.
 */
import type { BlockServices } from "./block.js";
import type { StepCheckpoints } from "./checkpoints.js";
import type { KindCheck } from "./coerce.js";
import { compileWorkflow } from "./compiler.js";
import type { StepEvent, TraceEvent } from "./events.js";
import { abortError, executePlan } from "./executor.js";
import { prepareInputs, type InputDeserializer } from "./inputs.js";
import { MemoryVideoState } from "./video-state.js";
import { checkParameters } from "./parameter-checks.js";
import { checkJsonValueDepth } from "./json-depth.js";
import type { JsonSchema } from "./json-schema.js";
import type { Kind } from "./kinds.js";
import { PlanCache } from "./plan-cache.js";
import { assembleOutputs } from "./outputs.js";
import type { CompiledWorkflow } from "./plan.js";
import type { BlockRegistry } from "./registry.js";
import { workflowSchema } from "./schema.js";
import type { ValueSerializer } from "./serialize.js";

export interface EngineOptions {
  registry: BlockRegistry;
  services?: BlockServices;
  /** Turn wire values of a kind into runtime values (e.g. "image" -> a decoded image). */
  deserializers?: Readonly<Record<Kind, InputDeserializer>>;
  serializers?: readonly ValueSerializer[];
  /** Runtime checks of kinds with a runtime type (e.g. "image" -> is it a decoded image?). */
  kindChecks?: Readonly<Record<Kind, KindCheck>>;
  /** Compiled plans kept; default 256. */
  cacheSize?: number;
  /** Steps (and elements of an async step) in flight at once; default 8. */
  maxConcurrency?: number;
  /**
   * Called once the inputs are read (values that load on first need, such as images, not loaded
   * yet) and before any step runs: throws to refuse the run (a budget, say).
   */
  admit?: (plan: CompiledWorkflow, inputs: ReadonlyMap<string, unknown>) => void;
  /**
   * Wraps each run, from reading its inputs to serializing its outputs (admit included): the
   * place to give a run a context of its own that its blocks and values reach without the
   * engine knowing of it (an AsyncLocalStorage store: a budget, say). Returns what `run` returns.
   */
  runScope?: <T>(run: () => Promise<T>) => Promise<T>;
}

export interface RunOptions {
  signal?: AbortSignal;
  deadlineMs?: number;
  excludedFields?: readonly string[];
  enableProfiling?: boolean;
  onEvent?: (event: StepEvent) => void;
  /** false: return runtime values (Detections, images) instead of their JSON form. */
  serialize?: boolean;
  /** Restores the steps an earlier attempt of this run finished, and saves each step as it finishes (executor.ts). */
  checkpoints?: StepCheckpoints;
  /** This run's own services (its `humanInput`), over the engine's. */
  services?: BlockServices;
}

export interface RunResult {
  outputs: Record<string, unknown>[];
  profilerTrace?: TraceEvent[];
}

export class WorkflowEngine {
  readonly registry: BlockRegistry;
  private readonly options: EngineOptions;
  private readonly plans: PlanCache;

  constructor(options: EngineOptions) {
    this.options = options;
    this.registry = options.registry;
    this.plans = new PlanCache(options.cacheSize ?? 256);
  }

  /** Compiles, or returns the cached plan of an identical definition. Throws WorkflowCompileError. */
  compile(definition: unknown): CompiledWorkflow {
    // Before the plan cache, whose canonical hash recurses through the definition.
    checkJsonValueDepth(definition, "The workflow definition");
    return this.plans.get(definition, (hash) => compileWorkflow(definition, this.registry, { hash, kindChecks: this.options.kindChecks }));
  }

  async run(workflow: unknown, inputs: Readonly<Record<string, unknown>>, options: RunOptions = {}): Promise<RunResult> {
    const run = () => this.runInScope(workflow, inputs, options);
    return this.options.runScope ? this.options.runScope(run) : run();
  }

  private async runInScope(workflow: unknown, inputs: Readonly<Record<string, unknown>>, options: RunOptions): Promise<RunResult> {
    // One signal for the whole run: reading inputs (images may be fetched) spends the same budget.
    const signals = [options.signal, options.deadlineMs === undefined ? undefined : AbortSignal.timeout(Math.max(0, Math.ceil(options.deadlineMs)))];
    const present = signals.filter((s): s is AbortSignal => s !== undefined);
    const signal = present.length > 0 ? AbortSignal.any(present) : undefined;
    const plan = isPlan(workflow) ? workflow : this.compile(workflow);
    let prepared;
    try {
      prepared = await prepareInputs(plan.inputs, inputs, this.options.deserializers, signal);
    } catch (error) {
      throw signal?.aborted ? abortError(signal.reason) : error;
    }
    checkParameters(plan.parameterChecks, prepared.values, inputs);
    this.options.admit?.(plan, prepared.values);
    const state = await executePlan(plan, prepared.values, prepared.batchSize, {
      signal,
      maxConcurrency: this.options.maxConcurrency,
      // A run given no video state gets its own: a single image is a video of one frame.
      services: { videoState: new MemoryVideoState(), ...this.options.services, ...options.services },
      onEvent: options.onEvent,
      profiling: options.enableProfiling,
      checkpoints: options.checkpoints,
    });
    const outputs = await assembleOutputs(plan, state, { excludedFields: options.excludedFields, serialize: options.serialize, serializers: this.options.serializers });
    return options.enableProfiling ? { outputs, profilerTrace: state.trace } : { outputs };
  }

  /** JSON Schema of the whole grammar with the blocks registered here. */
  schema(): JsonSchema {
    return workflowSchema(this.registry);
  }
}

function isPlan(value: unknown): value is CompiledWorkflow {
  return typeof value === "object" && value !== null && "stepsByName" in value && "hash" in value;
}
