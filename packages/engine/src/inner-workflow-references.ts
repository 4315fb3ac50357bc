/**
 * Saved workflows named by inner_workflow steps (`workflow_workspace_id`, `workflow_id`, optional
 * `workflow_version_id`), loaded before compiling: compiling is synchronous and knows no store, so
 * whoever holds one (the service) calls this first and compiles what it returns. Each reference
 * becomes the step's `workflow_definition` (the reference fields dropped, as Roboflow does), down
 * every level; the definition's hash then covers the children, so a cached plan never outlives a
 * changed child. Workflows that include each other are refused with the chain of them.
 */
import { isRecord, unwrapSpecification } from "@cvflow/wire";
import { pointerSegment, WorkflowCompileError, WorkflowError, type WorkflowIssue } from "./errors.js";
import { INNER_WORKFLOW_LIMITS, INNER_WORKFLOW_TYPE } from "./inner-workflows.js";

export interface InnerWorkflowReference {
  workspace: string;
  id: string;
  /** Omitted: the current version. */
  versionId?: string;
}

/** A saved workflow's definition, or undefined when it does not exist or may not be read. */
export type InnerWorkflowLoader = (reference: InnerWorkflowReference) => Promise<unknown>;

/** Where saved workflows are read: the current version (with whether it is public), and older ones. */
export interface SavedWorkflowSource {
  current(workspace: string, id: string): Promise<{ versionId: string; public: boolean; specification: unknown } | undefined>;
  version(workspace: string, id: string, versionId: string): Promise<{ specification: unknown } | undefined>;
}

/**
 * The access rule every caller shares: a workflow is included when `allowed` says so for its
 * workspace and id, or when it is public; otherwise, as when it does not exist, it is not found.
 * A name the source refuses (a WorkflowError under 500: not a valid workspace or id) names no
 * workflow; a failing source is not hidden.
 */
export function savedWorkflowLoader(source: SavedWorkflowSource, allowed: (workspace: string, id: string) => boolean): InnerWorkflowLoader {
  return async (ref) => {
    try {
      const current = await source.current(ref.workspace, ref.id);
      if (!current || !(allowed(ref.workspace, ref.id) || current.public)) return undefined;
      if (ref.versionId === undefined || ref.versionId === current.versionId) return current.specification;
      return (await source.version(ref.workspace, ref.id, ref.versionId))?.specification;
    } catch (error) {
      if (error instanceof WorkflowError && error.status < 500) return undefined;
      throw error;
    }
  };
}

/** True when some inner_workflow step, at any depth, names a saved workflow still to be loaded. */
export function hasInnerWorkflowReferences(definition: unknown): boolean {
  const spec = specOf(definition);
  return stepsOf(spec).some((step) => isRecord(step) && isInnerStep(step) && (referenceOf(step) !== undefined || hasInnerWorkflowReferences(step["workflow_definition"])));
}

/**
 * The definition with every reference replaced by the workflow it names; the same object when
 * there is none. `root`: the saved workflow being resolved, so that a child including it is a cycle.
 * Throws WorkflowCompileError: a workflow that cannot be loaded, a cycle.
 */
export async function resolveInnerWorkflows(definition: unknown, load: InnerWorkflowLoader, root?: InnerWorkflowReference): Promise<unknown> {
  if (!hasInnerWorkflowReferences(definition)) return definition;
  const copy = structuredClone(definition) as Record<string, unknown>;
  const { definition: spec, pointer } = unwrapSpecification(copy);
  const loads = new Map<string, Promise<unknown>>();
  const issues: WorkflowIssue[] = [];
  const resolver = { loads, issues, load: (ref: InnerWorkflowReference) => memo(loads, ref, load) };
  await resolveLevel(spec, pointer, root ? [root] : [], resolver);
  if (issues.length > 0) throw new WorkflowCompileError(issues);
  return copy;
}

interface Resolver {
  loads: Map<string, Promise<unknown>>;
  issues: WorkflowIssue[];
  load: (reference: InnerWorkflowReference) => Promise<unknown>;
}

async function resolveLevel(spec: unknown, at: string, chain: readonly InnerWorkflowReference[], resolver: Resolver): Promise<void> {
  await Promise.all(stepsOf(spec).map(async (step, i) => {
    if (!isRecord(step) || !isInnerStep(step)) return;
    const stepAt = `${at}/steps/${i}`;
    const reference = referenceOf(step);
    const inline = isRecord(step["workflow_definition"]) && Object.keys(step["workflow_definition"]).length > 0;
    // Both given, or too deep, or too many: the compiler says so; nothing more is loaded for it.
    if (!reference || inline || chain.length >= INNER_WORKFLOW_LIMITS.depth || resolver.loads.size >= INNER_WORKFLOW_LIMITS.count) {
      if (inline) await resolveLevel(step["workflow_definition"], `${stepAt}/workflow_definition`, chain, resolver);
      return;
    }
    const name = typeof step["name"] === "string" ? step["name"] : String(i);
    if (chain.some((c) => keyOf(c) === keyOf(reference))) {
      resolver.issues.push({
        code: "inner_workflow_cycle",
        message: `Step "${name}": workflows include each other in a cycle: ${[...chain, reference].map(labelOf).join(" -> ")}`,
        pointer: stepAt,
        step: name,
      });
      return;
    }
    const loaded = await resolver.load(reference);
    const child = isRecord(loaded) ? unwrapSpecification(loaded).definition : undefined;
    if (!isRecord(child)) {
      resolver.issues.push({
        code: "inner_workflow_not_found",
        message: `Step "${name}": the saved workflow ${labelOf(reference)} does not exist, or these credentials may not read it`,
        pointer: `${stepAt}/${pointerSegment("workflow_id")}`,
        step: name,
        property: "workflow_id",
      });
      return;
    }
    for (const key of ["workflow_workspace_id", "workflow_id", "workflow_version_id"]) delete step[key];
    step["workflow_definition"] = structuredClone(child);
    await resolveLevel(step["workflow_definition"], `${stepAt}/workflow_definition`, [...chain, reference], resolver);
  }));
}

function memo(loads: Map<string, Promise<unknown>>, reference: InnerWorkflowReference, load: InnerWorkflowLoader): Promise<unknown> {
  const key = keyOf(reference);
  let loading = loads.get(key);
  if (!loading) {
    loading = load(reference);
    loads.set(key, loading);
  }
  return loading;
}

function specOf(definition: unknown): unknown {
  return isRecord(definition) ? unwrapSpecification(definition).definition : undefined;
}

/** Every entry, records or not, so that an index is the step's place in the list. */
function stepsOf(spec: unknown): unknown[] {
  const steps = isRecord(spec) ? spec["steps"] : undefined;
  return Array.isArray(steps) ? steps : [];
}

function isInnerStep(step: Record<string, unknown>): boolean {
  return step["type"] === INNER_WORKFLOW_TYPE;
}

function referenceOf(step: Record<string, unknown>): InnerWorkflowReference | undefined {
  const text = (key: string) => (typeof step[key] === "string" ? (step[key] as string).trim() : "");
  const workspace = text("workflow_workspace_id");
  const id = text("workflow_id");
  if (!workspace || !id) return undefined;
  const versionId = text("workflow_version_id");
  return versionId ? { workspace, id, versionId } : { workspace, id };
}

function keyOf(reference: InnerWorkflowReference): string {
  return `${reference.workspace}/${reference.id}@${reference.versionId ?? ""}`;
}

function labelOf(reference: InnerWorkflowReference): string {
  return `${reference.workspace}/${reference.id}${reference.versionId ? ` (version ${reference.versionId})` : ""}`;
}
