/**
 * A new workflow (`#/new`): a name, a url suggested from it (the rule createWorkflow itself uses),
 * public or not, and a start — an empty definition or a copy of a workflow of the workspace. Made,
 * it opens on its Definition tab.
 */
import { useState } from "preact/hooks";
import { href, navigate } from "../router.js";
import { api, workspace } from "../session.js";
import { useAction } from "../use-action.js";
import { useLoaded } from "./use-loaded.js";
import { useNameAndUrl } from "./use-name-and-url.js";
import "./workflows.css";

/** What "Empty definition" starts from: one image in, nothing done yet. */
const EMPTY_DEFINITION = { version: "1.0", inputs: [{ type: "WorkflowImage", name: "image" }], steps: [], outputs: [] };

export function NewWorkflow() {
  const space = workspace.value;
  if (!space) return <p class="muted">Loading…</p>;
  return <NewWorkflowForm workspace={space} />;
}

function NewWorkflowForm({ workspace }: { workspace: string }) {
  const existing = useLoaded(() => api().listWorkflows(workspace), workspace);
  const { name, setName, url, setUrl } = useNameAndUrl("");
  const [isPublic, setPublic] = useState(false);
  const [start, setStart] = useState<"empty" | "copy">("empty");
  const [source, setSource] = useState("");
  const { busy, error, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const specification = start === "copy" ? (await api().getWorkflow(workspace, source)).specification : EMPTY_DEFINITION;
      const made = await api().createWorkflow(workspace, { name: name.trim(), url, public: isPublic, specification });
      navigate({ view: "workflow", id: made.workflow.url, tab: start === "copy" ? "graph" : "definition" });
    });
  };
  const sources = existing.value ?? [];
  return (
    <section class="workflows workflow-form" aria-labelledby="new-title">
      <p><a href={href({ view: "workflows" })}>← Workflows</a></p>
      <h1 id="new-title">New workflow</h1>
      <form onSubmit={submit} class="form-grid">
        <label>
          Name
          <input name="name" required value={name} onInput={(event) => setName(event.currentTarget.value)} autoFocus />
        </label>
        <label>
          Url <span class="muted">(in addresses and the API: lowercase letters, digits, - and _)</span>
          <input name="url" class="mono" required value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" name="public" checked={isPublic} onChange={(event) => setPublic(event.currentTarget.checked)} />
          Public: anyone may read and run it without a key of this workspace
        </label>
        <fieldset>
          <legend>Start from</legend>
          <label class="check">
            <input type="radio" name="start" value="empty" checked={start === "empty"} onChange={() => setStart("empty")} />
            An empty definition (one image input)
          </label>
          <label class="check">
            <input type="radio" name="start" value="copy" checked={start === "copy"} onChange={() => setStart("copy")} disabled={sources.length === 0} />
            A copy of the definition of
          </label>
          <select
            name="source"
            aria-label="Workflow to copy"
            value={source}
            disabled={start !== "copy"}
            required={start === "copy"}
            onChange={(event) => setSource(event.currentTarget.value)}
          >
            <option value="">{existing.value === null ? (existing.error ? "(the workflows could not be read)" : "Loading…") : "Choose a workflow"}</option>
            {sources.map((workflow) => (
              <option value={workflow.url}>{workflow.name} ({workflow.url})</option>
            ))}
          </select>
        </fieldset>
        {error && <p role="alert" class="error">{error}</p>}
        <div class="actions">
          <button type="submit" disabled={busy || !name.trim() || !url || (start === "copy" && !source)}>{busy ? "Creating…" : "Create"}</button>
          <a href={href({ view: "workflows" })}>Cancel</a>
        </div>
      </form>
    </section>
  );
}
