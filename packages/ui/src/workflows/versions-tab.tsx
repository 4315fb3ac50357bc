/** The Versions tab: every saved version of the workflow, newest first, the current one marked. */
import { api } from "../session.js";
import type { OpenWorkflow } from "./draft.js";
import { formatTime } from "./format.js";
import { useLoaded } from "./use-loaded.js";

export function VersionsTab({ open }: { open: OpenWorkflow }) {
  // Read again after each save (a new versionId).
  const versions = useLoaded(() => api().workflowVersions(open.workspace, open.workflow.url), `${open.workflow.url}@${open.workflow.versionId}`);
  if (versions.error) {
    return (
      <p role="alert" class="error">
        The versions could not be read ({versions.error}). <button type="button" class="quiet" onClick={versions.reload}>Try again</button>
      </p>
    );
  }
  if (versions.value === null) return <p class="muted">Loading…</p>;
  return (
    <section aria-label="Versions" class="versions">
      <p class="muted">Every save is a version, kept for good; a run may name an older one (<code>workflow_version_id</code>).</p>
      <ol class="workflow-rows" data-testid="versions">
        {versions.value.map((version) => (
          <li data-testid="version-row" data-version={version.versionId}>
            <span class="workflow-name">{formatTime(version.createdAt)}</span>
            <span>{version.name}</span>
            <span class="mono muted">{version.versionId}</span>
            {version.versionId === open.workflow.versionId && <span class="badge">current</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
