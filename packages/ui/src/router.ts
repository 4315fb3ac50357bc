/**
 * Where the page is, kept in the URL's hash (`#/workflows/demo`) so that every view has an address
 * the service never sees: `/` is the only page it serves, and no key ever goes into a URL.
 */
import { signal } from "@preact/signals";

export type Route =
  | { view: "workflows" }
  | { view: "workflow"; id: string; tab: WorkflowTab }
  | { view: "new-workflow" }
  | { view: "runs" }
  | { view: "run"; id: string }
  | { view: "batch" }
  | { view: "batch-job"; id: string }
  | { view: "blocks"; id?: string };

export type WorkflowTab = "graph" | "definition" | "run" | "versions";
const TABS: readonly WorkflowTab[] = ["graph", "definition", "run", "versions"];

function parseHash(hash: string): Route {
  const [first = "", second, third] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  switch (first) {
    case "workflows":
      if (second === undefined || second === "") return { view: "workflows" };
      return { view: "workflow", id: second, tab: TABS.find((tab) => tab === third) ?? "graph" };
    case "new":
      return { view: "new-workflow" };
    case "runs":
      return second ? { view: "run", id: second } : { view: "runs" };
    case "batch":
      return second ? { view: "batch-job", id: second } : { view: "batch" };
    case "blocks":
      return second ? { view: "blocks", id: second } : { view: "blocks" };
    default:
      return { view: "workflows" };
  }
}

export function href(route: Route): string {
  const part = encodeURIComponent;
  switch (route.view) {
    case "workflows":
      return "#/workflows";
    case "workflow":
      return `#/workflows/${part(route.id)}/${route.tab}`;
    case "new-workflow":
      return "#/new";
    case "runs":
      return "#/runs";
    case "run":
      return `#/runs/${part(route.id)}`;
    case "batch":
      return "#/batch";
    case "batch-job":
      return `#/batch/${part(route.id)}`;
    case "blocks":
      return route.id ? `#/blocks/${part(route.id)}` : "#/blocks";
  }
}

export const route = signal<Route>(parseHash(location.hash));
addEventListener("hashchange", () => {
  route.value = parseHash(location.hash);
});

export function navigate(to: Route): void {
  location.hash = href(to);
}
