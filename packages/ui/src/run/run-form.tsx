/**
 * The Run tab of a workflow: a form generated from its inputs (describe_interface; the definition
 * gives the defaults), which starts an async run and opens it. With a `draft` (the definition being
 * edited) the form describes and runs that definition inline instead of the saved one, and says so.
 */
import type { Specification, WorkflowTarget } from "@cvflow/sdk";
import type { ImageInput } from "@cvflow/wire";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { href, navigate } from "../router.js";
import { api, workspace } from "../session.js";
import { ImagePicker, type PickedImage } from "./image-picker.js";
import { wireImage } from "./image-wire.js";
import { initialDraft, inputControls, parseParameter, type InputControl } from "./input-controls.js";
import "./run-form.css";

type ParameterInput = Exclude<InputControl, { control: "image" }>;

interface Loaded {
  controls: InputControl[];
  target: WorkflowTarget;
}

export function RunForm({ workflowId, draft }: { workflowId: string; draft?: unknown }) {
  const owner = workspace.value;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!owner) return;
    let current = true;
    setLoaded(null);
    setLoadError(null);
    loadInterface(owner, workflowId, draft).then(
      (result) => current && setLoaded(result),
      (error: unknown) => current && setLoadError(describeError(error)),
    );
    return () => {
      current = false;
    };
  }, [owner, workflowId, draft]);

  if (loadError) return <p class="error" role="alert" data-testid="run-form-error">{draft !== undefined ? "The definition being edited cannot run: " : ""}{loadError}</p>;
  if (!loaded) return <p class="muted">Reading the workflow's inputs…</p>;
  return <LoadedForm key={JSON.stringify(loaded.target)} loaded={loaded} inline={draft !== undefined} />;
}

async function loadInterface(owner: string, workflowId: string, draft: unknown): Promise<Loaded> {
  const client = api();
  if (draft !== undefined) {
    const specification = draft as Specification;
    const kinds = await client.describeInterface(specification);
    return { controls: inputControls(kinds, specification), target: { specification } };
  }
  const [kinds, saved] = await Promise.all([client.describeInterface({ workspace: owner, workflowId }), client.getWorkflow(owner, workflowId)]);
  return { controls: inputControls(kinds, saved.specification), target: { workspace: owner, workflowId } };
}

function LoadedForm({ loaded, inline }: { loaded: Loaded; inline: boolean }) {
  const parameters = loaded.controls.filter((control): control is ParameterInput => control.control !== "image");
  const imageInputs = loaded.controls.filter((control) => control.control === "image");
  const [drafts, setDrafts] = useState<Record<string, string | boolean>>(() => Object.fromEntries(parameters.map((control) => [control.name, initialDraft(control)])));
  const [images, setImages] = useState<Record<string, PickedImage[]>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [started, setStarted] = useState<{ id: string; notes: string[] } | null>(null);

  // The previews' object URLs live as long as the form.
  useEffect(() => () => Object.values(images).flat().forEach((image) => URL.revokeObjectURL(image.url)), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const errors: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const control of parameters) {
      const parsed = parseParameter(control, drafts[control.name] ?? "");
      if ("error" in parsed) errors[control.name] = parsed.error;
      else if ("value" in parsed) values[control.name] = parsed.value;
    }
    for (const control of imageInputs) {
      if ((images[control.name] ?? []).length === 0) errors[control.name] = "Choose, drop or snap an image.";
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    try {
      const client = api();
      setBusy("Preparing the images…");
      const notes: string[] = [];
      const wire: Record<string, ImageInput | ImageInput[]> = {};
      for (const control of imageInputs) {
        const picked = images[control.name] ?? [];
        const inputs = await Promise.all(picked.map(async (image) => {
          const sent = await wireImage(client, image.blob, image.label);
          if (sent.note) notes.push(sent.note);
          return sent.input;
        }));
        wire[control.name] = inputs.length === 1 ? inputs[0]! : inputs;
      }
      setBusy("Starting the run…");
      // One key per click: a request repeated by the network gives the same run, a second click a new one.
      const record = await client.runNowait(loaded.target, { images: wire, parameters: values, idempotencyKey: idempotencyKey() });
      // What went otherwise than it should is said before the run is opened.
      if (notes.length === 0) return navigate({ view: "run", id: record.id });
      setStarted({ id: record.id, notes });
      setBusy(null);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(null);
    }
  };

  return (
    <form class="run-form" onSubmit={submit} data-testid="run-form" noValidate>
      {inline && <p class="notice" data-testid="run-form-inline">Runs the definition being edited, not the saved version: an inline run.</p>}
      {imageInputs.map((control) => (
        <ImagePicker key={control.name} name={control.name} images={images[control.name] ?? []} error={fieldErrors[control.name]}
          onChange={(next) => setImages((all) => ({ ...all, [control.name]: next }))} />
      ))}
      {parameters.length > 0 && (
        <fieldset class="parameters">
          <legend>Parameters</legend>
          {parameters.map((control) => (
            <ParameterField key={control.name} control={control} draft={drafts[control.name] ?? ""} error={fieldErrors[control.name]}
              onChange={(value) => setDrafts((all) => ({ ...all, [control.name]: value }))} />
          ))}
        </fieldset>
      )}
      {loaded.controls.length === 0 && <p class="muted">This workflow takes no inputs.</p>}
      {error && <p class="error" role="alert" data-testid="run-error">{error}</p>}
      {started && (
        <div class="notice" role="status">
          {started.notes.map((note) => <p>{note}</p>)}
          <a href={href({ view: "run", id: started.id })} data-testid="run-link">Open the run</a>
        </div>
      )}
      <div class="run-form-actions">
        <button type="submit" disabled={busy !== null} data-testid="run-button">Run</button>
        {busy && <span class="muted" role="status">{busy}</span>}
      </div>
    </form>
  );
}

/** 128 random bits as hex. Not crypto.randomUUID: a page served over plain http off this machine has none. */
function idempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const HINTS: Record<ParameterInput["control"], string> = {
  number: "number",
  integer: "whole number",
  boolean: "true or false",
  string: "text",
  json: "JSON",
  any: "any value: JSON, or text",
};

function ParameterField({ control, draft, error, onChange }: { control: ParameterInput; draft: string | boolean; error: string | undefined; onChange(value: string | boolean): void }) {
  const id = `parameter-${control.name}`;
  const hint = [HINTS[control.control], control.kinds.filter((kind) => kind !== "*").join(", ")].filter(Boolean).join(" · ");
  const describedBy = `${id}-hint${error ? ` ${id}-error` : ""}`;
  const common = { id, name: control.name, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined, "data-testid": id };
  return (
    <div class="parameter">
      {control.control === "boolean" ? (
        <label class="checkbox">
          <input type="checkbox" {...common} checked={draft === true} onChange={(event) => onChange(event.currentTarget.checked)} />
          {control.name}
        </label>
      ) : (
        <>
          <label for={id}>{control.name}</label>
          {control.control === "json" ? (
            <textarea {...common} rows={3} spellcheck={false} class="mono" value={String(draft)} onInput={(event) => onChange(event.currentTarget.value)} />
          ) : (
            // Text, not type=number: a browser's number field hides what was typed when it is not a number.
            <input {...common} type="text" inputMode={control.control === "integer" ? "numeric" : control.control === "number" ? "decimal" : undefined}
              value={String(draft)} onInput={(event) => onChange(event.currentTarget.value)} />
          )}
        </>
      )}
      <span id={`${id}-hint`} class="muted hint">
        {hint}
        {control.defaultValue !== undefined && <> · default <code>{JSON.stringify(control.defaultValue)}</code></>}
      </span>
      {error && <span id={`${id}-error`} class="error" role="alert">{error}</span>}
    </div>
  );
}
