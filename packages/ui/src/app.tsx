/** The page: the sign-in gate, the navigation, and the view the hash names (router.ts). */
import { useEffect } from "preact/hooks";
import { BatchJobs } from "./batch/batch-jobs.js";
import { BlockCatalogue } from "./blocks/block-catalogue.js";
import { route, href, type Route } from "./router.js";
import { RunHistory } from "./runs/run-history.js";
import { RunView } from "./runs/run-view.js";
import { apiKey, resumeSession, signOut, workspace } from "./session.js";
import { SignIn } from "./sign-in.js";
import { NewWorkflow } from "./workflows/new-workflow.js";
import { WorkflowList } from "./workflows/workflow-list.js";
import { WorkflowPage } from "./workflows/workflow-page.js";

const SECTIONS: { label: string; to: Route; active: (view: Route["view"]) => boolean }[] = [
  { label: "Workflows", to: { view: "workflows" }, active: (view) => view === "workflows" || view === "workflow" || view === "new-workflow" },
  { label: "Runs", to: { view: "runs" }, active: (view) => view === "runs" || view === "run" },
  { label: "Batch jobs", to: { view: "batch" }, active: (view) => view === "batch" || view === "batch-job" },
  { label: "Blocks", to: { view: "blocks" }, active: (view) => view === "blocks" },
];

export function App() {
  useEffect(() => {
    void resumeSession();
  }, []);
  if (!apiKey.value) return <SignIn />;
  const current = route.value;
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/workflows">cvflow</a>
        <nav aria-label="Sections">
          {SECTIONS.map((section) => (
            <a href={href(section.to)} aria-current={section.active(current.view) ? "page" : undefined}>
              {section.label}
            </a>
          ))}
        </nav>
        <span class="who" data-testid="workspace">{workspace.value ?? "…"}</span>
        <button type="button" class="quiet" onClick={signOut}>Sign out</button>
      </header>
      <main class="content">
        <View route={current} />
      </main>
    </div>
  );
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case "workflows":
      return <WorkflowList />;
    case "new-workflow":
      return <NewWorkflow />;
    case "workflow":
      return <WorkflowPage id={route.id} tab={route.tab} />;
    case "runs":
      return <RunHistory />;
    case "run":
      return <RunView id={route.id} />;
    case "batch":
    case "batch-job":
      return <BatchJobs selected={route.view === "batch-job" ? route.id : undefined} />;
    case "blocks":
      return <BlockCatalogue selected={route.id} />;
  }
}
