/** The workflow page's actions: Fork (a copy under a new url and name) and Delete (to the trash, after a confirmation). */
import { CvflowError } from "@cvflow/sdk";
import { useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { navigate } from "../router.js";
import { api } from "../session.js";
import { useAction } from "../use-action.js";
import { closeWorkflow, dirty, type OpenWorkflow } from "./draft.js";
import { Modal } from "./modal.js";
import { useNameAndUrl } from "./use-name-and-url.js";

export function WorkflowActions({ open }: { open: OpenWorkflow }) {
  const [dialog, setDialog] = useState<"fork" | "delete" | null>(null);
  const close = () => setDialog(null);
  return (
    <div class="actions">
      <button type="button" class="quiet" onClick={() => setDialog("fork")}>Fork</button>
      <button type="button" class="quiet danger" onClick={() => setDialog("delete")}>Delete</button>
      {dialog === "fork" && <ForkDialog open={open} onClose={close} />}
      {dialog === "delete" && <DeleteDialog open={open} onClose={close} />}
    </div>
  );
}

function ForkDialog({ open, onClose }: { open: OpenWorkflow; onClose(): void }) {
  const { name, setName, url, setUrl } = useNameAndUrl(`${open.workflow.name} (copy)`);
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const fork = await api().forkWorkflow(open.workspace, open.workflow.url, { newUrl: url, newName: name.trim() });
      navigate({ view: "workflow", id: fork.workflow.url, tab: "graph" });
    });
  };
  return (
    <Modal title={`Fork “${open.workflow.name}”`} onClose={onClose} testId="fork-dialog">
      <form onSubmit={submit} class="form-grid">
        <p class="muted">The copy starts from the saved version{dirty.value ? " (not from the unsaved changes here)" : ""}.</p>
        <label>
          New name
          <input name="new-name" required value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label>
          New url
          <input name="new-url" class="mono" required value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
        </label>
        {error && <p role="alert" class="error">{error}</p>}
        <div class="actions">
          <button type="submit" disabled={busy || !name.trim() || !url}>{busy ? "Forking…" : "Fork"}</button>
          <button type="button" class="quiet" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteDialog({ open, onClose }: { open: OpenWorkflow; onClose(): void }) {
  const { busy, error, run } = useAction();
  const remove = () =>
    run(
      async () => {
        await api().deleteWorkflow(open.workspace, open.workflow.url, { etag: open.etag });
        closeWorkflow();
        navigate({ view: "workflows" });
      },
      (failure) =>
        failure instanceof CvflowError && failure.status === 412
          ? "Not deleted: the workflow was changed elsewhere since it was opened here. Reload the page to see that change first."
          : describeError(failure),
    );
  return (
    <Modal title={`Delete “${open.workflow.name}”?`} onClose={onClose} testId="delete-dialog">
      <p>
        It goes to the trash, where it is kept 30 days and can be restored from the workflow list.
        {dirty.value && " The unsaved changes here are lost."}
      </p>
      {error && <p role="alert" class="error">{error}</p>}
      <div class="actions">
        <button type="button" class="danger" onClick={() => void remove()} disabled={busy}>{busy ? "Deleting…" : "Move to the trash"}</button>
        <button type="button" class="quiet" onClick={onClose} autoFocus>Cancel</button>
      </div>
    </Modal>
  );
}
