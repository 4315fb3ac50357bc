/**
 * Whose runs a run route reaches: the API key's workspace, and only runs of that workspace —
 * another workspace's run is "not found" (404), never "forbidden", so an id tells nothing.
 */
import { runNotFound, runsNotConfigured, type RunRecord, type Runs } from "@cvflow/runs";
import type { Principal } from "./auth.js";
import type { ServiceContext } from "./context.js";
import { unauthorized } from "./errors.js";

/** The runs of this deployment; 501 `runs_not_configured` without them (`message`: what the route says then). */
export function runsOf(ctx: ServiceContext, message = "Runs are not configured on this deployment"): Runs {
  if (!ctx.runs) throw runsNotConfigured(message);
  return ctx.runs;
}

/** The caller's workspace: who sees the runs it starts. An API key's; a route that takes anyone else refuses them here. */
export function callerWorkspace(principal: Principal): string {
  if (principal.type !== "key") throw unauthorized("An API key is required: a run's record is visible only to keys of its workspace");
  return principal.workspace;
}

/** The run, when the caller's workspace may see it; else 404 `run_not_found`. */
export async function visibleRun(runs: Runs, id: string, workspace: string): Promise<RunRecord> {
  const record = await runs.get(id);
  if (!record || record.workspace !== workspace) throw runNotFound(id);
  return record;
}
