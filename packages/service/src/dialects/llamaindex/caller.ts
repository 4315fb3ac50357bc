/**
 * Whose runs a LlamaIndex route reaches: the API key's workspace (the routes take keys only, as
 * their client sends `Authorization: Bearer <token>`), and only runs of that workspace — another
 * workspace's handler is "not found", never "forbidden".
 */
import type { RunRecord, Runs } from "@cvflow/runs";
import { runNotFound, runsNotConfigured } from "@cvflow/runs";
import type { Principal } from "../../auth.js";
import type { ServiceContext } from "../../context.js";
import { unauthorized } from "../../errors.js";

/** The caller's workspace; the routes' access (an API key) has already refused anyone else. */
export function callerWorkspace(principal: Principal): string {
  if (principal.type !== "key") throw unauthorized();
  return principal.workspace;
}

export function runsOf(ctx: ServiceContext): Runs {
  if (!ctx.runs) throw runsNotConfigured("Runs are not configured on this deployment: LlamaIndex's routes need them");
  return ctx.runs;
}

/** The run named by the path's `handler_id`, when the caller's workspace may see it; else 404. */
export async function visibleRun(runs: Runs, id: string, workspace: string): Promise<RunRecord> {
  const record = await runs.get(id);
  if (!record || record.workspace !== workspace) throw runNotFound(id);
  return record;
}
