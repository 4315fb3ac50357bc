/**
 * A new batch job (POST /batch/jobs), behind a "New job" disclosure on the jobs list: a saved
 * workflow of the workspace, and its images — every image below an S3 prefix, or images picked
 * here, each uploaded through /uploads and listed in the job's manifest (as `cvflow batch submit`
 * does with a folder). The job's page opens once it is submitted.
 */
import type { BatchJobInput } from "@cvflow/wire";
import { useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { navigate } from "../router.js";
import { api, workspace } from "../session.js";
import { useLoaded } from "../workflows/use-loaded.js";

type Source = "prefix" | "files";

export function NewJob() {
  const space = workspace.value;
  return (
    <details class="batch-new" data-testid="new-batch-job">
      <summary>New job</summary>
      {space ? <NewJobForm workspace={space} /> : <p class="muted">Loading…</p>}
    </details>
  );
}

function NewJobForm({ workspace }: { workspace: string }) {
  const workflows = useLoaded(() => api().listWorkflows(workspace), workspace);
  const [workflow, setWorkflow] = useState("");
  const [source, setSource] = useState<Source>("prefix");
  const [prefix, setPrefix] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [imageInput, setImageInput] = useState("image");
  const [format, setFormat] = useState<"csv" | "jsonl">("csv");
  const [tolerated, setTolerated] = useState("10");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const chosen = workflow || workflows.value?.[0]?.url;
    if (!chosen) return setError("Choose a workflow.");
    if (source === "prefix" && !prefix.trim().startsWith("s3://")) return setError("The prefix is an s3:// address, e.g. s3://bucket/datasets/shelves/.");
    if (source === "files" && files.length === 0) return setError("Choose the images.");
    try {
      let input: BatchJobInput = { prefix: prefix.trim() };
      if (source === "files") {
        const manifest: string[] = [];
        for (const [index, file] of files.entries()) {
          setBusy(`Uploading image ${index + 1} of ${files.length}…`);
          manifest.push((await api().uploadImage(new Uint8Array(await file.arrayBuffer()), file.type || undefined)).value);
        }
        input = { manifest };
      }
      setBusy("Submitting…");
      const submitted = await api().submitBatchJob({
        workflow: { workspace, id: chosen },
        input,
        image_input: imageInput.trim() || "image",
        aggregation_format: format,
        tolerated_failure_percentage: Number(tolerated),
      });
      navigate({ view: "batch-job", id: submitted.job });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <form class="batch-form" onSubmit={submit} noValidate>
      <label>
        Workflow
        <select name="workflow" value={workflow} onChange={(e) => setWorkflow(e.currentTarget.value)} disabled={!workflows.value}>
          {(workflows.value ?? []).map((item) => <option value={item.url}>{item.name} ({item.url})</option>)}
        </select>
      </label>
      {workflows.error && <p role="alert" class="error">{workflows.error}</p>}
      <fieldset>
        <legend>Images</legend>
        <label class="batch-choice">
          <input type="radio" name="source" checked={source === "prefix"} onChange={() => setSource("prefix")} /> Every image below an S3 prefix
        </label>
        {source === "prefix" && (
          <label>
            Prefix
            <input name="prefix" type="text" placeholder="s3://bucket/datasets/shelves/" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} />
          </label>
        )}
        <label class="batch-choice">
          <input type="radio" name="source" checked={source === "files"} onChange={() => setSource("files")} /> Images from this computer (uploaded)
        </label>
        {source === "files" && (
          <label>
            Images
            <input name="images" type="file" accept="image/*" multiple onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} />
          </label>
        )}
      </fieldset>
      <div class="batch-form-row">
        <label>
          Image input
          <input name="image-input" type="text" value={imageInput} onInput={(e) => setImageInput(e.currentTarget.value)} />
        </label>
        <label>
          Results as
          <select name="format" value={format} onChange={(e) => setFormat(e.currentTarget.value === "jsonl" ? "jsonl" : "csv")}>
            <option value="csv">CSV</option>
            <option value="jsonl">JSONL</option>
          </select>
        </label>
        <label>
          Failures tolerated (%)
          <input name="tolerated" type="number" min="0" max="100" value={tolerated} onInput={(e) => setTolerated(e.currentTarget.value)} />
        </label>
      </div>
      {error && <p role="alert" class="error" data-testid="new-batch-job-error">{error}</p>}
      <div class="batch-actions">
        <button type="submit" disabled={busy !== null}>Submit job</button>
        {busy && <span class="muted" role="status">{busy}</span>}
      </div>
    </form>
  );
}
