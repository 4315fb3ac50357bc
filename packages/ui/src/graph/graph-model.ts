/**
 * A workflow definition as a graph: its inputs, steps and outputs as nodes, and an edge for every
 * selector (a step's fields, wherever nested, and each output's selector). Pure (no DOM) and
 * lenient: a definition being typed, or naming a step that does not exist, gives the graph of what
 * can be read; nothing here throws. The grammar's own rules live in packages/engine (selectors.ts,
 * definition.ts, bind.ts); this reads the same shapes without judging them.
 */
import { isRecord, unwrapSpecification } from "@cvflow/wire";

type NodeKind = "input" | "step" | "output";

export interface GraphNode {
  /** `input:NAME`, `step:NAME` or `output:NAME`: unique, and what the page's `data-node` shows. */
  id: string;
  kind: NodeKind;
  name: string;
  /** An input's type (WorkflowImage, WorkflowParameter, ...), a step's block type, an output's type (JsonField); "" when missing. */
  type: string;
}

export interface GraphEdge {
  /** `FROM->TO`, with `~next` for flow control: an edge is one pair of nodes and one kind. */
  id: string;
  from: string;
  to: string;
  /** Flow control: the `from` step names `to` as a step to run next (`$steps.x` in next_steps, a switch's cases). */
  flow: boolean;
  /** What the edge is labelled with: the selectors' property parts (or whole input selectors), or for flow control the keys naming the targets; unique, in definition order. */
  labels: string[];
  /** Where the selectors sit in the step that holds them (`predictions`, `operations_parameters.image`, `cases.a`); the output's name for an output. */
  fields: string[];
}

/** A selector the graph could not draw: it names an input or step the definition does not have. */
interface Unresolved {
  node: string;
  field: string;
  selector: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  unresolved: Unresolved[];
}

const INPUTS = "$inputs.";
const STEPS = "$steps.";

/** The graph of a definition, bare or wrapped as `{"specification": ...}`; empty for anything unreadable. */
export function graphModel(definition: unknown): GraphModel {
  const spec = isRecord(definition) ? unwrapSpecification(definition).definition : undefined;
  const model: GraphModel = { nodes: [], edges: [], unresolved: [] };
  if (!isRecord(spec)) return model;

  const ids = new Set<string>();
  const named = (kind: NodeKind, raw: unknown): { node: GraphNode; raw: Record<string, unknown> } | undefined => {
    if (!isRecord(raw) || typeof raw["name"] !== "string" || raw["name"] === "") return undefined;
    const node: GraphNode = { id: `${kind}:${raw["name"]}`, kind, name: raw["name"], type: typeof raw["type"] === "string" ? raw["type"] : "" };
    // A second entry with a name already taken is the compiler's to report; the graph draws the first.
    if (ids.has(node.id)) return undefined;
    ids.add(node.id);
    model.nodes.push(node);
    return { node, raw };
  };
  for (const raw of listOf(spec["inputs"])) named("input", raw);
  const steps = listOf(spec["steps"]).flatMap((raw) => named("step", raw) ?? []);
  const outputs = listOf(spec["outputs"]).flatMap((raw) => named("output", raw) ?? []);

  const edges = new Map<string, GraphEdge>();
  const connect = (node: string, field: string, text: string, key: string): void => {
    const reference = readSelector(text);
    const named = `${reference.kind}:${reference.name}`;
    if (!ids.has(named)) {
      model.unresolved.push({ node, field, selector: text });
      return;
    }
    // `$steps.x` alone in a step names x as a step to run next: control flows from this step to x.
    const flow = reference.kind === "step" && reference.property === undefined && node.startsWith("step:");
    const [from, to] = flow ? [node, named] : [named, node];
    const label = flow ? key : reference.property || text;
    const id = `${from}->${to}${flow ? "~next" : ""}`;
    const edge = edges.get(id) ?? { id, from, to, flow, labels: [], fields: [] };
    edges.set(id, edge);
    if (!edge.labels.includes(label)) edge.labels.push(label);
    if (!edge.fields.includes(field)) edge.fields.push(field);
  };

  for (const { node, raw } of steps) {
    for (const [field, value] of Object.entries(raw)) {
      if (field === "type" || field === "name") continue;
      for (const found of selectorsIn(value, field, field)) connect(node.id, found.path, found.text, found.key);
    }
  }
  for (const { node, raw } of outputs) {
    const selector = raw["selector"];
    if (typeof selector === "string" && isSelectorLike(selector)) connect(node.id, node.name, selector, node.name);
  }
  model.edges = [...edges.values()];
  return model;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isSelectorLike(text: string): boolean {
  return text.startsWith(INPUTS) || text.startsWith(STEPS);
}

/**
 * `$inputs.name`, `$steps.name`, `$steps.name.property` (`*` for all of them). Read leniently:
 * whatever follows the name's dot is the property ("" for a half-typed `$steps.det.`).
 */
function readSelector(text: string): { kind: "input" | "step"; name: string; property?: string } {
  if (text.startsWith(INPUTS)) return { kind: "input", name: text.slice(INPUTS.length) };
  const rest = text.slice(STEPS.length);
  const dot = rest.indexOf(".");
  return dot < 0 ? { kind: "step", name: rest } : { kind: "step", name: rest.slice(0, dot), property: rest.slice(dot + 1) };
}

interface Found {
  text: string;
  /** Dotted path from the step's field: `operations_parameters.image`, `next_steps[1]`. */
  path: string;
  /** The innermost object key above the selector (a switch's case name), else the field. */
  key: string;
}

/** Every selector-like string in a field's value, however deeply nested in lists and objects. */
function* selectorsIn(value: unknown, path: string, key: string): Generator<Found> {
  if (typeof value === "string") {
    if (isSelectorLike(value)) yield { text: value, path, key };
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* selectorsIn(item, `${path}[${i}]`, key);
  } else if (isRecord(value)) {
    for (const [k, item] of Object.entries(value)) yield* selectorsIn(item, `${path}.${k}`, k);
  }
}
