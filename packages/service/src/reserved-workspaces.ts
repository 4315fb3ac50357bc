/**
 * Names no workspace may take: the first segments of the fixed routes (`/infer/…`, `/workflows/…`,
 * `/batch/…`, `/health`, …), read from the route table. A workspace so named would never be
 * reached: `POST /infer/workflows` is the inline run, not the workflows of workspace "infer".
 * Workspaces come into being with their first API key (`npm run api-key`, the local stack's
 * workspace), which check here before they write it.
 */
import { reservedWorkspace } from "./errors.js";
import type { ServiceContext } from "./context.js";
import { routeTable } from "./routes.js";

/** The table is built for its paths only: building it reads nothing of the context, and this says so loudly if that changes. */
const PATHS_ONLY = new Proxy({} as ServiceContext, {
  get: () => {
    throw new Error("The route table was built for its paths only: a route read the service context while being declared");
  },
});

let reserved: readonly string[] | undefined;

export function reservedWorkspaceNames(): readonly string[] {
  return (reserved ??= [
    ...new Set(
      routeTable(PATHS_ONLY, () => ({}))
        .map((route) => route.path.split("/")[1] ?? "")
        .filter((segment) => segment !== "" && !segment.startsWith("{")),
    ),
  ].sort());
}

/** 400 `reserved_workspace` naming every reserved name, when `workspace` is one. */
export function checkWorkspaceNotReserved(workspace: string): void {
  const names = reservedWorkspaceNames();
  if (names.includes(workspace)) {
    throw reservedWorkspace(workspace, names);
  }
}
