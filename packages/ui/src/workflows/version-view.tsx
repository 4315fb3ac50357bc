/**
 * One saved version of the open workflow, read-only: its definition's text or its graph, and, for
 * an older version, "Restore this version" — its definition saved as the newest version with the
 * current ETag (draft.ts's save, as the editor saves), so a workflow changed elsewhere meanwhile is
 * a conflict that offers to reload, never overwritten.
 */
import type { WorkflowVersion } from "@cvflow/wire";
import { useState } from "preact/hooks";
import { definitionText } from "../editor/definition-text.js";
import { describeError } from "../errors.js";
import { WorkflowGraph } from "../graph/workflow-graph.js";
import { api } from "../session.js";
import { dirty, opened, reloadWorkflow, saveText, type OpenWorkflow } from "./draft.js";
import { useLoaded } from "./use-loaded.js";
import "./version-view.css";

type Shown = "definition" | "graph";

interface VersionViewProps {
  open: OpenWorkflow;
  version: WorkflowVersion;
  /** After a restore: the version it saved. */
  onRestored(versionId: string): void;
}

export function VersionView({ open, version, onRestored }: VersionViewProps) {
  const { workspace, workflow } = open;
  const read = useLoaded(() => api().getWorkflow(workspace, workflow.url, { versionId: version.versionId }), `${workflow.url}@${version.versionId}`);
  const [shown, setShown] = useState<Shown>("definition");
  const [restoring, setRestoring] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const current = version.versionId === workflow.versionId;

  if (read.error) {
    return (
      <div class="version-view" data-testid="version-view" data-version={version.versionId}>
        <p role="alert" class="error">
          This version could not be read ({read.error}). <button type="button" class="quiet" onClick={read.reload}>Try again</button>
        </p>
      </div>
    );
  }
  if (read.value === null) return <p class="muted version-view">Loading the version…</p>;
  const { specification } = read.value;
  const text = definitionText(specification);

  const restore = async () => {
    setRestoring(true);
    setConflict(false);
    setFailure(null);
    try {
      const outcome = await saveText(text);
      if (outcome.saved) onRestored(opened.peek()?.workflow.versionId ?? "");
      else setConflict(true);
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      setRestoring(false);
    }
  };

  const reload = async () => {
    setConflict(false);
    try {
      // The versions list follows the newest version read (its key is the workflow's versionId).
      await reloadWorkflow(workspace, workflow.url);
    } catch (error) {
      setFailure(`Could not reload: ${describeError(error)}`);
    }
  };

  return (
    <section class="version-view" data-testid="version-view" data-version={version.versionId} aria-label={`Version ${version.versionId}`}>
      <div class="version-toolbar">
        <div class="version-switch" role="group" aria-label="Show">
          <button type="button" class="quiet" aria-pressed={shown === "definition"} onClick={() => setShown("definition")}>
            Definition
          </button>
          <button type="button" class="quiet" aria-pressed={shown === "graph"} onClick={() => setShown("graph")}>
            Graph
          </button>
        </div>
        {current ? (
          <span class="muted">The current version.</span>
        ) : (
          <button type="button" onClick={() => void restore()} disabled={restoring} data-testid="restore-version">
            {restoring ? "Restoring…" : "Restore this version"}
          </button>
        )}
      </div>
      {!current && (
        <p class="muted">
          Restoring saves this definition as the newest version; every version stays.
          {dirty.value && " Your unsaved changes stay in the Definition tab as a draft."}
        </p>
      )}
      {conflict && (
        <div class="version-conflict" role="alert" data-testid="restore-conflict">
          <p>Not restored: this workflow was changed elsewhere since it was opened here (its ETag no longer matches).</p>
          <div class="actions">
            <button type="button" onClick={() => void reload()}>Reload (discard my unsaved changes)</button>
            <button type="button" class="quiet" onClick={() => setConflict(false)}>Cancel</button>
          </div>
        </div>
      )}
      {failure && <p role="alert" class="error">Not restored: {failure}</p>}
      {shown === "definition" ? (
        <pre class="version-definition" data-testid="version-definition" tabIndex={0} aria-label="Definition (read-only)">
          {text}
        </pre>
      ) : (
        <WorkflowGraph definition={specification} />
      )}
    </section>
  );
}
