/**
 * A workflow's page (`#/workflows/{id}/{tab}`): its name, url and visibility, Fork and Delete, and
 * the tabs — Graph (the draft drawn), Definition (the editor, loaded on demand), Run, Versions.
 * The draft lives in draft.ts, so it survives switching tabs.
 */
import { CvflowError } from "@cvflow/sdk";
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { WorkflowGraph } from "../graph/workflow-graph.js";
import { href, type WorkflowTab } from "../router.js";
import { RunForm } from "../run/run-form.js";
import { RecentRuns } from "../runs/run-history.js";
import { workspace } from "../session.js";
import { parseDefinition } from "../editor/definition-text.js";
import { dirty, draftDefinition, opened, openWorkflow, type OpenWorkflow } from "./draft.js";
import { VersionsTab } from "./versions-tab.js";
import { WorkflowActions } from "./workflow-actions.js";
import "./workflows.css";

const TABS: { tab: WorkflowTab; label: string }[] = [
  { tab: "graph", label: "Graph" },
  { tab: "definition", label: "Definition" },
  { tab: "run", label: "Run" },
  { tab: "versions", label: "Versions" },
];

export function WorkflowPage({ id, tab }: { id: string; tab: WorkflowTab }) {
  const space = workspace.value;
  if (!space) return <p class="muted">Loading…</p>;
  return <Page key={`${space}/${id}`} workspace={space} id={id} tab={tab} />;
}

function Page({ workspace, id, tab }: { workspace: string; id: string; tab: WorkflowTab }) {
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    openWorkflow(workspace, id).catch(setFailure);
    // The editor's code is fetched while the person looks at the graph, not when they open the tab.
    void loadEditor();
  }, []);
  const open = opened.value;
  if (failure !== null) return <LoadFailure failure={failure} id={id} />;
  if (!open || open.workspace !== workspace || open.workflow.url !== id) return <p class="muted">Loading…</p>;
  return (
    <div class="workflow-page">
      <header class="workflow-head">
        <div class="workflow-title">
          <h1 data-testid="workflow-name">{open.workflow.name}</h1>
          <p class="muted">
            <span class="mono" data-testid="workflow-url">{open.workflow.url}</span>
            {" · "}
            <span data-testid="workflow-visibility">{open.workflow.public ? "public" : "private"}</span>
            {dirty.value && <span class="badge unsaved" data-testid="unsaved">unsaved changes</span>}
          </p>
        </div>
        <WorkflowActions open={open} />
      </header>
      <nav class="tabs" aria-label="Workflow views">
        {TABS.map((item) => (
          <a href={href({ view: "workflow", id, tab: item.tab })} aria-current={item.tab === tab ? "page" : undefined} data-testid={`tab-${item.tab}`}>
            {item.label}
          </a>
        ))}
      </nav>
      <div class="tab-body">
        <TabBody tab={tab} open={open} />
      </div>
    </div>
  );
}

function TabBody({ tab, open }: { tab: WorkflowTab; open: OpenWorkflow }) {
  switch (tab) {
    case "graph":
      return <GraphTab open={open} />;
    case "definition":
      return <LazyEditor />;
    case "run":
      return (
        <div class="run-tab">
          {/* With unsaved changes, the form runs the draft inline (and says so). */}
          <RunForm workflowId={open.workflow.url} draft={dirty.value && draftDefinition.value.ok ? draftDefinition.value.definition : undefined} />
          <RecentRuns workflowId={open.workflow.url} />
        </div>
      );
    case "versions":
      return <VersionsTab open={open} />;
  }
}

function GraphTab({ open }: { open: OpenWorkflow }) {
  const parsed = draftDefinition.value;
  if (parsed.ok) return <WorkflowGraph definition={parsed.definition} />;
  // A draft that does not parse: the saved definition is drawn, and the page says why.
  const saved = parseDefinition(open.savedText);
  return (
    <div class="graph-tab">
      <p role="alert" class="error">
        The draft is not drawn: {parsed.message}. Fix it in the{" "}
        <a href={href({ view: "workflow", id: open.workflow.url, tab: "definition" })}>Definition</a> tab; this is the saved version.
      </p>
      {saved.ok && <WorkflowGraph definition={saved.definition} />}
    </div>
  );
}

type EditorModule = typeof import("../editor/definition-editor.js");
let editorModule: Promise<EditorModule> | undefined;

function loadEditor(): Promise<EditorModule> {
  editorModule ??= import("../editor/definition-editor.js").catch((error: unknown) => {
    editorModule = undefined;
    throw error;
  });
  return editorModule;
}

function LazyEditor() {
  const [Editor, setEditor] = useState<FunctionComponent | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadEditor().then(
      (module) => setEditor(() => module.DefinitionEditor),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  if (error) return <p role="alert" class="error">The editor could not be loaded ({error}); reload the page.</p>;
  return Editor ? <Editor /> : <p class="muted">Loading the editor…</p>;
}

function LoadFailure({ failure, id }: { failure: unknown; id: string }) {
  const notFound = failure instanceof CvflowError && failure.status === 404;
  return (
    <div role="alert">
      <p class="error">
        {notFound ? `There is no workflow “${id}” in this workspace (it may have been deleted: see the trash).` : `The workflow could not be read: ${describeError(failure)}`}
      </p>
      <p><a href={href({ view: "workflows" })}>← Workflows</a></p>
    </div>
  );
}
