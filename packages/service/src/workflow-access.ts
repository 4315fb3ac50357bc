/**
 * Access to one saved workflow: by a key of its workspace with the scope, by a workflow token
 * naming it (runs only), or by anyone without a token when it is public. The workflow is read before deciding
 * because being public is a property of it; who may not see it learns nothing of whether it
 * exists (401 or 403, never 404).
 */
import type { Scope } from "@cvflow/store";
import { workflowNotFound } from "@cvflow/store";
import { denied, grants, type Principal } from "./auth.js";
import type { ServiceContext } from "./context.js";
import type { SavedWorkflow } from "./saved-workflows.js";

export async function accessibleWorkflow(
  ctx: ServiceContext,
  principal: Principal,
  workspace: string,
  url: string,
  scope: Scope,
  options: { token: boolean; useCache: boolean },
): Promise<SavedWorkflow> {
  const granted = grants(principal, workspace, url, scope, options.token);
  const saved = await ctx.saved.current(workspace, url, options.useCache);
  // A workflow token runs its one workflow and nothing else, public ones included: holding one
  // says the caller was handed access to that workflow only (docs/api.md: anything else, 403).
  if (!granted && (principal.type === "token" || !saved?.tagged.value.public)) throw denied(principal, workspace, url, scope);
  if (!saved) throw workflowNotFound(workspace, url);
  return saved;
}
