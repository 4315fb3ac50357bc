/**
 * The answer to a waiting `wait_for_input` step: the prompt, what the step shows, and a form
 * generated from its answer schema (schema-form.ts), sent as LlamaIndex's HumanResponseEvent
 * (`POST /events/{run_id}`, SDK sendEvent). Problems the service finds are shown at their fields.
 */
import { CvflowError } from "@cvflow/sdk";
import { isRecord, type InputRequest } from "@cvflow/wire";
import { useMemo, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { api } from "../session.js";
import { Time } from "../time.js";
import { answerOf, draftsOf, fieldPointerOf, formOf, type Drafts, type FormField } from "./schema-form.js";

export function InputForm({ runId, request, onSent }: { runId: string; request: InputRequest; onSent(): void }) {
  const form = useMemo(() => formOf(request.schema), [request.schema]);
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(form));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Sent: the run goes on, and the form stays until the run's record says so (its input_received event).
  const [sent, setSent] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    const built = answerOf(form, drafts);
    setErrors(built.errors);
    if (Object.keys(built.errors).length > 0) return;
    setBusy(true);
    try {
      await api().sendEvent(runId, built.answer);
      setSent(true);
      onSent();
    } catch (error) {
      setErrors(fieldErrorsOf(form, error));
      setFailure(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="input-form" data-testid="input-form" onSubmit={submit} noValidate aria-labelledby="input-form-title">
      <h2 id="input-form-title">Waiting for your answer <span class="muted">({request.step})</span></h2>
      <p class="prompt" data-testid="input-prompt">{request.prompt}</p>
      {request.expiresAt && <p class="muted">Answer before <Time iso={request.expiresAt} />.</p>}
      {request.data !== undefined && (
        <details class="input-data" open>
          <summary>What the step shows</summary>
          <pre class="mono">{JSON.stringify(request.data, null, 2)}</pre>
          <button type="button" class="quiet" data-testid="fill-from-data" onClick={() => setDrafts(draftsOf(form, request.data))}>Fill the form from it</button>
        </details>
      )}
      <Field field={form} drafts={drafts} errors={errors} onChange={(pointer, value) => setDrafts((all) => ({ ...all, [pointer]: value }))} />
      {failure && <p class="error" role="alert" data-testid="input-error">{failure}</p>}
      <div class="run-form-actions">
        <button type="submit" disabled={busy || sent} data-testid="send-answer">Send answer</button>
        {sent ? <span role="status">Answer sent: the run goes on.</span> : <span class="muted"><span aria-hidden="true">*</span> required</span>}
      </div>
    </form>
  );
}

/** `invalid_answer` names each problem's pointer in `details.errors`: each goes to the field holding it. */
function fieldErrorsOf(form: FormField, error: unknown): Record<string, string> {
  if (!(error instanceof CvflowError) || !Array.isArray(error.details["errors"])) return {};
  const errors: Record<string, string> = {};
  for (const problem of error.details["errors"]) {
    if (!isRecord(problem) || typeof problem["message"] !== "string") continue;
    const pointer = typeof problem["pointer"] === "string" ? problem["pointer"] : "";
    const at = fieldPointerOf(form, pointer);
    const message = pointer === at ? problem["message"] : `${pointer.slice(at.length)}: ${problem["message"]}`;
    errors[at] = errors[at] ? `${errors[at]}; ${message}` : message;
  }
  return errors;
}

interface FieldProps {
  field: FormField;
  drafts: Drafts;
  errors: Record<string, string>;
  onChange(pointer: string, value: string | boolean): void;
}

function Field({ field, drafts, errors, onChange }: FieldProps) {
  const error = errors[field.pointer];
  if (field.kind === "object") {
    const children = field.fields.map((child) => <Field key={child.pointer} field={child} drafts={drafts} errors={errors} onChange={onChange} />);
    const problem = error && <p class="error" role="alert">{error}</p>;
    // The answer's own object is the form; a nested one is a group with its name.
    if (field.pointer === "") return <div class="answer-fields">{problem}{children}</div>;
    return (
      <fieldset class="answer-group" data-testid="answer-field" data-pointer={field.pointer}>
        <legend>{field.label}{field.required && <Required />}</legend>
        {field.description && <p class="muted hint">{field.description}</p>}
        {problem}
        {children}
      </fieldset>
    );
  }
  const id = `answer${field.pointer.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const draft = drafts[field.pointer];
  const text = typeof draft === "string" ? draft : "";
  const hint = [field.description, field.kind === "string-list" ? "one a line" : "", field.kind === "json" ? "JSON" : "", rangeOf(field)].filter(Boolean).join(" · ");
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-describedby": described, "aria-invalid": error ? true : undefined, "aria-required": field.required || undefined };
  const input = (value: string) => onChange(field.pointer, value);
  let control;
  switch (field.kind) {
    case "boolean":
      control = <input type="checkbox" {...common} checked={draft === true} onChange={(event) => onChange(field.pointer, event.currentTarget.checked)} />;
      break;
    case "enum":
      control = (
        <select {...common} value={text} onChange={(event) => input(event.currentTarget.value)}>
          <option value="">—</option>
          {field.options.map((option, index) => <option value={String(index)}>{typeof option === "string" ? option : JSON.stringify(option)}</option>)}
        </select>
      );
      break;
    case "string-list":
    case "json":
      control = <textarea {...common} class={field.kind === "json" ? "mono" : undefined} rows={field.kind === "json" ? 8 : 3} spellcheck={false} value={text} onInput={(event) => input(event.currentTarget.value)} />;
      break;
    default:
      control = <input type="text" {...common} inputMode={field.kind === "integer" ? "numeric" : field.kind === "number" ? "decimal" : undefined} value={text} onInput={(event) => input(event.currentTarget.value)} />;
  }
  return (
    <div class={`answer-field${field.kind === "boolean" ? " checkbox" : ""}`} data-testid="answer-field" data-pointer={field.pointer} data-kind={field.kind}>
      <label for={id}>{field.label}{field.required && <Required />}</label>
      {control}
      {hint && <span id={`${id}-hint`} class="muted hint">{hint}</span>}
      {error && <span id={`${id}-error`} class="error" role="alert">{error}</span>}
    </div>
  );
}

function Required() {
  return <span class="required" aria-hidden="true"> *</span>;
}

function rangeOf(field: FormField): string {
  if (field.kind !== "number" && field.kind !== "integer") return "";
  const parts = [field.kind === "integer" ? "whole number" : "number"];
  if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
  if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`);
  return parts.join(" ");
}
