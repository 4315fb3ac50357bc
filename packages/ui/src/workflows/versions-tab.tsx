/**
 * The Versions tab: every saved version of the workflow, newest first, the current one marked;
 * each can be opened read-only (version-view.tsx), and an older one restored.
 */
import { useState } from "preact/hooks";
import { api } from "../session.js";
import { Time } from "../time.js";
import type { OpenWorkflow } from "./draft.js";
import { useLoaded } from "./use-loaded.js";
import { VersionView } from "./version-view.js";

export function VersionsTab({ open }: { open: OpenWorkflow }) {
  // Read again after each save (a new versionId).
  const versions = useLoaded(() => api().workflowVersions(open.workspace, open.workflow.url), `${open.workflow.url}@${open.workflow.versionId}`);
  const [shown, setShown] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  if (versions.error) {
    return (
      <p role="alert" class="error">
        The versions could not be read ({versions.error}). <button type="button" class="quiet" onClick={versions.reload}>Try again</button>
      </p>
    );
  }
  if (versions.value === null) return <p class="muted">Loading…</p>;
  const onRestored = (versionId: string) => {
    setShown(null);
    setRestored(versionId);
  };
  return (
    <section aria-label="Versions" class="versions">
      <p class="muted">Every save is a version, kept for good; a run may name an older one (<code>workflow_version_id</code>).</p>
      {restored && (
        <p role="status" data-testid="restored">
          Restored: saved as the newest version, <span class="mono">{restored}</span>.
        </p>
      )}
      <ol class="workflow-rows" data-testid="versions">
        {versions.value.map((version) => {
          const isShown = shown === version.versionId;
          return (
            <li data-testid="version-row" data-version={version.versionId} key={version.versionId}>
              <span class="workflow-name"><Time iso={version.createdAt} /></span>
              <span>{version.name}</span>
              <span class="mono muted">{version.versionId}</span>
              {version.versionId === open.workflow.versionId && <span class="badge">current</span>}
              <button type="button" class="quiet" aria-expanded={isShown} onClick={() => setShown(isShown ? null : version.versionId)} data-testid="version-open">
                {isShown ? "Close" : "Open"}
              </button>
              {isShown && <VersionView open={open} version={version} onRestored={onRestored} />}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
