/** The compiled form of a definition: what the executor runs. */
import type { Block, BlockManifest, OutputSpec } from "./block.js";
import type { Coercion } from "./coerce.js";
import type { DefinitionInput } from "./definition.js";
import type { WorkflowIssue } from "./errors.js";
import type { JsonSchema } from "./json-schema.js";
import type { Kind } from "./kinds.js";

/** Where a field's value comes from, with every selector already resolved. */
export type Binding =
  | { t: "literal"; value: unknown }
  | { t: "input"; name: string; level: number; offset: 0 | 1 }
  | { t: "output"; step: string; property: string; level: number; offset: 0 | 1 }
  /** A flow-control target: passed to the block as the selector string it was written as. */
  | { t: "target"; step: string; text: string }
  | { t: "list"; items: Binding[] }
  | { t: "dict"; entries: [string, Binding][] };

/**
 * Dimensionality: data at level 0 is one value for the whole run; level k >= 1 is nested k deep
 * (level 1 = one per input image). Lineage names where each level came from — "$inputs" for the
 * input batch, the step's name for the crops it made — so that two batches of equal depth but
 * unrelated origin are never zipped together.
 */
export interface DataShape {
  level: number;
  lineage: readonly string[];
}

export interface PlanStep {
  name: string;
  block: Block;
  manifest: BlockManifest;
  pointer: string;
  fields: [string, Binding][];
  /** Per field, the runtime check of values whose kinds have a runtime type. */
  coercions: ReadonlyMap<string, Coercion>;
  outputs: OutputSpec[];
  /** Steps this one waits for: data producers and flow-control steps that decide on it. */
  dependsOn: string[];
  /** Flow-control steps whose decision gates this one. */
  controlledBy: string[];
  /** Steps a flow-control step may enable. */
  targets: string[];
  /** The level the step runs at: once per element of this level. */
  level: number;
  lineage: readonly string[];
  /** Level of what it produces: `level`, or `level + 1` for steps that add a dimension. */
  output: DataShape;
  /**
   * What gives the indices the step iterates over: a data binding at >= `level`, or the decisions
   * of a flow-control step at exactly `level` (a step fed only scalars but gated per element).
   */
  shapeFrom: { t: "input"; name: string } | { t: "output"; step: string } | { t: "decision"; step: string } | undefined;
}

export interface PlanOutput {
  name: string;
  /** `undefined` property with a step: the wildcard `$steps.x.*`. */
  source: { t: "input"; name: string } | { t: "output"; step: string; property: string | undefined };
  level: number;
  lineage: readonly string[];
  kinds: readonly Kind[];
  coordinatesSystem: "parent" | "own";
  pointer: string;
}

export interface CompiledWorkflow {
  /** sha256 of the canonical definition: the cache key. */
  hash: string;
  version: string;
  inputs: DefinitionInput[];
  /** In an order that respects dependencies. */
  steps: PlanStep[];
  stepsByName: ReadonlyMap<string, PlanStep>;
  outputs: PlanOutput[];
  /** Every place a parameter feeds a field: its runtime value must fit the field (parameter-checks.ts). */
  parameterChecks: ParameterCheck[];
  /** Problems that do not stop the run (e.g. fields the block does not know). */
  warnings: WorkflowIssue[];
}

export interface ParameterCheck {
  input: string;
  step: string;
  field: string;
  /** Where the parameter stands in the definition: the field, or an item of it. */
  fieldPointer: string;
  /** The value must fit one of these (the JSON forms of the field's kinds); undefined: not checked here. */
  schemas: JsonSchema[] | undefined;
  /** And the field's own schema, as a literal must (enums, ranges, patterns). */
  fieldSchema: JsonSchema | undefined;
  kinds: readonly Kind[];
  required: boolean;
  /** null reaches the block as null; otherwise a null value is refused. */
  nullable: boolean;
}
