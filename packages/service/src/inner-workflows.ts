/**
 * The saved workflows that inner_workflow steps name, loaded for the engine before it compiles
 * (@cvflow/engine resolveInnerWorkflows), read through ctx.saved and its TTL cache. Who may
 * include what: a saved workflow includes workflows of its own workspace and public ones
 * (whoever may run it may run what its author put in it, a workflow token included); an inline
 * definition includes the workflows the caller's API key may run (scope workflow:run) and public
 * ones. A workflow that may not be read is reported as not found, as one that does not exist.
 */
import { hasInnerWorkflowReferences, resolveInnerWorkflows, WorkflowError, type CompiledWorkflow, type InnerWorkflowReference } from "@cvflow/engine";
import { grants, type Principal } from "./auth.js";
import type { ServiceContext } from "./context.js";
import type { SavedWorkflow } from "./saved-workflows.js";

/** An inline definition with the saved workflows it includes loaded in place (the same object when it includes none). */
export function withInnerWorkflows(ctx: ServiceContext, principal: Principal, definition: unknown): Promise<unknown> {
  return resolveInnerWorkflows(definition, (ref) => load(ctx, ref, (workspace, url) => grants(principal, workspace, url, "workflow:run", false)));
}

/** A saved workflow's definition with what it includes loaded in place. */
export function savedWithInnerWorkflows(ctx: ServiceContext, saved: SavedWorkflow): Promise<unknown> {
  const { workspace, url, specification } = saved.tagged.value;
  // The root as its current version: what a child naming it without a version includes.
  return resolveInnerWorkflows(specification, (ref) => load(ctx, ref, (w) => w === workspace), { workspace, id: url });
}

/** A saved workflow's plan; compiled once per ETag when it includes no saved workflow, else through the engine's plan cache. */
export async function savedPlan(ctx: ServiceContext, saved: SavedWorkflow): Promise<CompiledWorkflow> {
  if (!hasInnerWorkflowReferences(saved.tagged.value.specification)) return saved.plan();
  return ctx.engine.compile(await savedWithInnerWorkflows(ctx, saved));
}

async function load(ctx: ServiceContext, ref: InnerWorkflowReference, allowed: (workspace: string, url: string) => boolean): Promise<unknown> {
  try {
    const current = await ctx.saved.current(ref.workspace, ref.id);
    if (!current || !(allowed(ref.workspace, ref.id) || current.tagged.value.public)) return undefined;
    if (ref.versionId === undefined || ref.versionId === current.tagged.value.versionId) return current.tagged.value.specification;
    return (await ctx.saved.version(ref.workspace, ref.id, ref.versionId))?.tagged.value.specification;
  } catch (error) {
    // A name the store refuses (not a valid workspace or id) names no workflow; a failing store is not hidden.
    if (error instanceof WorkflowError && error.status < 500) return undefined;
    throw error;
  }
}
