/**
 * The saved workflows that inner_workflow steps name, loaded for the engine before it compiles
 * (@cvflow/engine resolveInnerWorkflows), read through ctx.saved and its TTL cache. Who may
 * include what: a saved workflow includes workflows of its own workspace and public ones
 * (whoever may run it may run what its author put in it, a workflow token included); an inline
 * definition includes the workflows the caller's API key may run (scope workflow:run) and public
 * ones. A workflow that may not be read is reported as not found, as one that does not exist.
 */
import { hasInnerWorkflowReferences, resolveInnerWorkflows, savedWorkflowLoader, type CompiledWorkflow, type InnerWorkflowLoader, type SavedWorkflowSource } from "@cvflow/engine";
import { grants, type Principal } from "./auth.js";
import type { ServiceContext } from "./context.js";
import type { SavedWorkflow } from "./saved-workflows.js";

/** An inline definition with the saved workflows it includes loaded in place (the same object when it includes none). */
export function withInnerWorkflows(ctx: ServiceContext, principal: Principal, definition: unknown): Promise<unknown> {
  return resolveInnerWorkflows(definition, loader(ctx, (workspace, url) => grants(principal, workspace, url, "workflow:run", false)));
}

/** A saved workflow's definition with what it includes loaded in place. */
export function savedWithInnerWorkflows(ctx: ServiceContext, saved: SavedWorkflow): Promise<unknown> {
  const { workspace, url, specification } = saved.tagged.value;
  // The root as its current version: what a child naming it without a version includes.
  return resolveInnerWorkflows(specification, loader(ctx, (w) => w === workspace), { workspace, id: url });
}

/** A saved workflow's plan; compiled once per ETag when it includes no saved workflow, else through the engine's plan cache. */
export async function savedPlan(ctx: ServiceContext, saved: SavedWorkflow): Promise<CompiledWorkflow> {
  if (!hasInnerWorkflowReferences(saved.tagged.value.specification)) return saved.plan();
  return ctx.engine.compile(await savedWithInnerWorkflows(ctx, saved));
}

/** Saved workflows read through ctx.saved (and its cache), under the engine's shared access rule. */
function loader(ctx: ServiceContext, allowed: (workspace: string, url: string) => boolean): InnerWorkflowLoader {
  const source: SavedWorkflowSource = {
    current: async (workspace, url) => (await ctx.saved.current(workspace, url))?.tagged.value,
    version: async (workspace, url, versionId) => (await ctx.saved.version(workspace, url, versionId))?.tagged.value,
  };
  return savedWorkflowLoader(source, allowed);
}
