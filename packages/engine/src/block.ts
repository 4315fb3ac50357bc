/**
 * The block API: a block is a manifest (what it accepts and returns, declared with kinds so a
 * definition can be checked before it runs) and a `run` function. Blocks know nothing of HTTP,
 * S3 or where their inputs come from; the executor hands them plain values.
 */
import type { HumanInput } from "./human-input.js";
import type { JsonSchema } from "./json-schema.js";
import type { Kind } from "./kinds.js";
import type { VideoStateStore } from "./video-state.js";

/** Where selectors may stand in a field: the value itself, each item of a list, each value of an object. */
export type FieldShape = "value" | "list" | "dict";

export interface FieldSpec {
  description?: string;
  /** JSON Schema of a literal value; for `list`/`dict` shapes, of each item. Omitted: any JSON value. */
  schema?: JsonSchema;
  /** Kinds a data selector (`$inputs.x`, `$steps.x.y`) may bring. Omitted: literals only. */
  kinds?: readonly Kind[];
  /** Default `value`. */
  shape?: FieldShape;
  /** The field names steps (`$steps.name`): the targets of a flow-control block. */
  steps?: boolean;
  required?: boolean;
  /** Used when the field is absent. */
  default?: unknown;
  /** Other names the field may be written under (older versions of the grammar). */
  aliases?: readonly string[];
  /**
   * 1: the field's data lives one dimension below the step — the block receives, per element,
   * the list of that element's children (DimensionCollapse, stitching crops back).
   */
  dimensionOffset?: 0 | 1;
  /** In a batch block (`runBatch`): the field arrives as a list, one value per element. */
  batched?: boolean;
  /**
   * The block reads this field's values through their own methods (a model that resizes an image
   * from its encoded bytes): the executor does not load them (LOAD) before the block runs, unless
   * another reader of the same data needs them loaded anyway.
   */
  deferLoad?: boolean;
}

export interface OutputSpec {
  name: string;
  kinds: readonly Kind[];
  description?: string;
}

export interface BlockManifest {
  /** Versioned id, e.g. `roboflow_core/continue_if@v1`. */
  type: string;
  /** Other ids that resolve to this block, e.g. `ContinueIf`. */
  aliases?: readonly string[];
  name: string;
  description: string;
  /** One of models, transformations, formatters, flow_control, fusion, visualizations, sinks. */
  family: string;
  fields: Readonly<Record<string, FieldSpec>>;
  outputs: readonly OutputSpec[];
  /** Outputs that depend on the step's own definition (e.g. the fields a JSON parser extracts). */
  dynamicOutputs?: (step: Readonly<Record<string, unknown>>) => OutputSpec[];
  /** 1: each element yields a list — a new, nested dimension (crops, slices). */
  outputDimensionOffset?: 0 | 1;
  /** Run also for elements whose data inputs were skipped by flow control; they arrive as null. */
  acceptsEmpty?: boolean;
  /** The block decides which of the steps it names run next: `run` returns a FlowDecision. */
  flowControl?: boolean;
  /**
   * The block keeps state between the frames of a video through the run's VideoStateStore
   * (services.videoState): its output depends on the frames before, so a video job never caches
   * it per segment but runs it in the one sequential replay (replayable-steps.ts).
   */
  stateful?: true;
}

/** Capabilities plugged into the executor (model registry, image codecs, ...); packages augment this. */
export interface BlockServices {
  /** Asks a person for an answer; present only in runs that can wait for one (async runs). */
  humanInput?: HumanInput;
  /** What stateful blocks keep between frames, per step and video (video-state.ts); every run has one. */
  videoState?: VideoStateStore;
}

export interface BlockContext {
  /** Fires on cancellation or when the run's deadline passes; long work should watch it. */
  readonly signal: AbortSignal;
  readonly step: string;
  /** Index of the element being run (empty for a step that runs once, or for `runBatch`). */
  readonly index: readonly number[];
  readonly services: BlockServices;
}

export type BlockOutputs = Record<string, unknown>;

/**
 * A runtime value whose data comes in on first need (an image decoded from its bytes only when a
 * block reads its pixels): the executor calls `[LOAD]()` on every such value a block receives,
 * except in `deferLoad` fields, and waits for it. It returns undefined once the data is there.
 */
export const LOAD: unique symbol = Symbol("load");

export interface Loadable {
  [LOAD](): Promise<void> | undefined;
}

export function isLoadable(value: unknown): value is Loadable {
  return typeof value === "object" && value !== null && LOAD in value;
}

/** A flow-control block's answer: the steps (names or `$steps.name`) that run next. */
export interface FlowDecision {
  next: readonly string[];
}

export type BlockParams = Record<string, unknown>;

export interface Problem {
  message: string;
  property?: string;
  code?: string;
}

interface BlockBase {
  manifest: BlockManifest;
  /** Checks across fields that a schema cannot express; each problem is a compile error. */
  validate?: (step: Readonly<Record<string, unknown>>) => Problem[];
}

/** What `run` returns: outputs; a list of them when the block adds a dimension; or a flow decision. */
export type ElementResult = BlockOutputs | BlockOutputs[] | FlowDecision;

/** Runs once per element. */
export interface ElementBlock<P extends BlockParams = BlockParams> extends BlockBase {
  run(params: P, ctx: BlockContext): ElementResult | Promise<ElementResult>;
  runBatch?: undefined;
}

/** Runs once for all elements of the step (batched model calls); `batched` fields arrive as lists. */
export interface BatchBlock<P extends BlockParams = BlockParams> extends BlockBase {
  runBatch(params: P, ctx: BlockContext): BlockOutputs[] | Promise<BlockOutputs[]>;
  run?: undefined;
}

export type Block<P extends BlockParams = BlockParams> = ElementBlock<P> | BatchBlock<P>;

/** Identity with types: lets a block declare its params and be checked against the Block API. */
export function defineBlock<P extends BlockParams>(block: ElementBlock<P>): ElementBlock<P>;
export function defineBlock<P extends BlockParams>(block: BatchBlock<P>): BatchBlock<P>;
export function defineBlock<P extends BlockParams>(block: Block<P>): Block<P> {
  return block;
}

export function isFlowDecision(value: unknown): value is FlowDecision {
  return typeof value === "object" && value !== null && Array.isArray((value as FlowDecision).next);
}
