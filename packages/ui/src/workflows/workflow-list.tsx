/**
 * The workspace's workflows (`#/workflows`): search by name or url, each opening its page; "New
 * workflow"; and the trash, where deleted workflows wait 30 days and can be restored.
 */
import type { TrashedWorkflow, WorkflowSummary } from "@cvflow/wire";
import { useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { href } from "../router.js";
import { api, workspace } from "../session.js";
import { Time } from "../time.js";
import { useLoaded } from "./use-loaded.js";
import { matchesQuery } from "./workflow-search.js";
import "./workflows.css";

export function WorkflowList() {
  const space = workspace.value;
  if (!space) return <p class="muted">Loading…</p>;
  return <Lists workspace={space} />;
}

function Lists({ workspace }: { workspace: string }) {
  const workflows = useLoaded(() => api().listWorkflows(workspace), workspace);
  const trash = useLoaded(() => api().listTrash(workspace), workspace);
  const [query, setQuery] = useState("");
  const reloadBoth = () => {
    workflows.reload();
    trash.reload();
  };
  return (
    <div class="workflows">
      <section aria-labelledby="workflows-title" class="workflows-section">
        <div class="workflows-head">
          <h1 id="workflows-title">Workflows</h1>
          <a class="button" href={href({ view: "new-workflow" })} data-testid="new-workflow">New workflow</a>
        </div>
        <label class="workflows-search">
          Search by name or url
          <input type="search" value={query} onInput={(event) => setQuery(event.currentTarget.value)} data-testid="workflow-search" />
        </label>
        {workflows.error ? (
          <p role="alert" class="error">
            The workflows could not be read ({workflows.error}). Check that the service is running and that the key may read workflows, then{" "}
            <button type="button" class="quiet" onClick={workflows.reload}>try again</button>
          </p>
        ) : workflows.value === null ? (
          <p class="muted">Loading…</p>
        ) : (
          <WorkflowRows workflows={workflows.value} query={query} workspace={workspace} />
        )}
      </section>
      <Trash workspace={workspace} trash={trash.value} error={trash.error} onChange={reloadBoth} onRetry={trash.reload} />
    </div>
  );
}

function WorkflowRows({ workflows, query, workspace }: { workflows: WorkflowSummary[]; query: string; workspace: string }) {
  if (workflows.length === 0) {
    return (
      <p class="muted" data-testid="workflows-empty">
        Workspace <code>{workspace}</code> has no workflows yet: <a href={href({ view: "new-workflow" })}>create one</a>, or save one with{" "}
        <code>cvflow workflows create</code>.
      </p>
    );
  }
  const shown = workflows.filter((workflow) => matchesQuery(workflow, query)).sort((a, b) => a.name.localeCompare(b.name));
  if (shown.length === 0) return <p class="muted">No workflow's name or url contains “{query.trim()}”.</p>;
  return (
    <ul class="workflow-rows">
      {shown.map((workflow) => (
        <li data-testid="workflow-row" data-url={workflow.url}>
          <a href={href({ view: "workflow", id: workflow.url, tab: "graph" })} class="workflow-name">{workflow.name}</a>
          <span class="mono muted">{workflow.url}</span>
          <span class="workflow-facts muted">
            {workflow.public && <span class="badge">public</span>}
            updated <Time iso={workflow.updatedAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}

function Trash(props: { workspace: string; trash: TrashedWorkflow[] | null; error: string | null; onChange(): void; onRetry(): void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean; url?: string } | null>(null);
  const restore = async (item: TrashedWorkflow) => {
    setBusy(item.url);
    setMessage(null);
    try {
      await api().restoreWorkflow(props.workspace, item.url);
      setMessage({ text: `Restored “${item.name}”.`, error: false, url: item.url });
      props.onChange();
    } catch (failure) {
      setMessage({ text: `“${item.name}” could not be restored: ${describeError(failure)}`, error: true });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="trash-title" class="workflows-section">
      <h2 id="trash-title">Trash</h2>
      {message && (
        <p role={message.error ? "alert" : "status"} class={message.error ? "error" : undefined}>
          {message.text} {message.url && <a href={href({ view: "workflow", id: message.url, tab: "graph" })}>Open it</a>}
        </p>
      )}
      {props.error ? (
        <p role="alert" class="error">
          The trash could not be read ({props.error}). <button type="button" class="quiet" onClick={props.onRetry}>Try again</button>
        </p>
      ) : props.trash === null ? (
        <p class="muted">Loading…</p>
      ) : props.trash.length === 0 ? (
        <p class="muted" data-testid="trash-empty">The trash is empty. A deleted workflow waits here 30 days and can be restored.</p>
      ) : (
        <ul class="workflow-rows">
          {props.trash.map((item) => (
            <li data-testid="trash-row" data-url={item.url}>
              <span class="workflow-name">{item.name}</span>
              <span class="mono muted">{item.url}</span>
              <span class="workflow-facts muted">deleted <Time iso={item.deletedAt} />, removed for good after <Time iso={item.scheduledCleanupAt} /></span>
              <button type="button" class="quiet" disabled={busy !== null} onClick={() => restore(item)} aria-label={`Restore ${item.name}`}>
                {busy === item.url ? "Restoring…" : "Restore"}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
