/**
 * The Definition tab: the open workflow's draft in a CodeMirror editor (code-editor.ts), its
 * compile errors listed beside it (each at the line its JSON pointer names; a click selects it),
 * and Save — checked first, written with the ETag read, a conflict offering to reload. Loaded on
 * demand (a dynamic import), so the page's first render does not wait for the editor.
 */
import type { Diagnostic } from "@codemirror/lint";
import type { BlockDescription } from "@cvflow/wire";
import { isRecord, unwrapSpecification } from "@cvflow/wire";
import { useSignalEffect } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { BlockPicker } from "../blocks/block-picker.js";
import { insertStep } from "../blocks/insert-step.js";
import { pendingStep, takePendingStep } from "../blocks/pending-step.js";
import { describeError } from "../errors.js";
import { dirty, draftText, opened, reloadWorkflow, saveText } from "../workflows/draft.js";
import { createCodeEditor, type CodeEditor } from "./code-editor.js";
import { checkDefinition, type CompileCheck, type PlacedIssue } from "./compile-check.js";
import { definitionSchema } from "./definition-schema.js";
import { parseDefinition } from "./definition-text.js";
import { placeOfPointer } from "./pointer-place.js";
import "./editor.css";

type Notice = { text: string; error: boolean } | null;

export function DefinitionEditor() {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<CodeEditor | null>(null);
  const [check, setCheck] = useState<CompileCheck | null>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [confirmErrors, setConfirmErrors] = useState(0);
  const [notice, setNotice] = useState<Notice>(null);
  const saveRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    const created = createCodeEditor(host.current!, {
      text: draftText.peek(),
      onText: (text) => {
        draftText.value = text;
      },
      compile: async (text) => {
        const result = await checkDefinition(text);
        // A check of a text typed over since is not shown: the next one is on its way.
        if (draftText.peek() === text) setCheck(result);
        return diagnosticsOf(result);
      },
      onSave: () => saveRef.current(),
    });
    editor.current = created;
    definitionSchema().then(
      (schema) => created.setSchema(schema),
      (error: unknown) => setNotice({ text: `Completion is off: the definition schema could not be read (${describeError(error)})`, error: true }),
    );
    return () => {
      editor.current = null;
      created.destroy();
    };
  }, []);

  // A draft written elsewhere (a reload, a restored version, an inserted step) is shown.
  useSignalEffect(() => {
    const text = draftText.value;
    editor.current?.showText(text);
  });

  const addStep = (block: BlockDescription) => {
    try {
      const { text, stepName } = insertStep(draftText.peek(), block);
      draftText.value = text;
      // Shown now (the signal's effect may run later), so the cursor lands on the step, not past it.
      editor.current?.showText(text);
      const index = stepIndex(text, stepName);
      const place = index === -1 ? undefined : placeOfPointer(text, `/specification/steps/${index}`);
      if (place) editor.current?.select(place.from, place.from);
      setNotice({ text: `Added the step “${stepName}” (${block.human_friendly_block_name}): the compile errors say what is left to fill in.`, error: false });
    } catch (error) {
      setNotice({ text: `The step was not added: ${describeError(error)}`, error: true });
    }
  };

  // A block the catalogue's "Add to workflow" sent here, once the editor shows this workflow.
  useSignalEffect(() => {
    const workflow = opened.value?.workflow.url;
    if (!pendingStep.value || !workflow) return;
    const block = takePendingStep(workflow);
    if (block) queueMicrotask(() => addStep(block));
  });

  const save = async (despiteErrors = false) => {
    const text = draftText.value;
    setNotice(null);
    setConflict(false);
    setConfirmErrors(0);
    setSaving(true);
    try {
      const result = await checkDefinition(text);
      if (draftText.peek() === text) setCheck(result);
      if (result.state === "syntax") {
        setNotice({ text: `Not saved: ${result.message}`, error: true });
        return;
      }
      if (result.state === "checked" && result.errors.length > 0 && !despiteErrors) {
        setConfirmErrors(result.errors.length);
        return;
      }
      const outcome = await saveText(text);
      if (!outcome.saved) setConflict(true);
      else setNotice({ text: `Saved as version ${opened.peek()?.workflow.versionId ?? ""}.`, error: false });
    } catch (error) {
      setNotice({ text: `Not saved: ${describeError(error)}`, error: true });
    } finally {
      setSaving(false);
    }
  };
  saveRef.current = () => void save();

  const reload = async () => {
    const current = opened.peek();
    if (!current) return;
    setConflict(false);
    try {
      await reloadWorkflow(current.workspace, current.workflow.url);
      setNotice({ text: "Reloaded: the editor shows the newest saved version.", error: false });
    } catch (error) {
      setNotice({ text: `Could not reload: ${describeError(error)}`, error: true });
    }
  };

  const select = (issue: PlacedIssue) => editor.current?.select(issue.place.from, issue.place.to);
  const errors = check?.state === "checked" || check?.state === "syntax" ? check.errors : [];
  const warnings = check?.state === "checked" ? check.warnings : [];

  return (
    <div class="definition">
      <div class="definition-toolbar">
        <button type="button" onClick={() => void save()} disabled={saving} data-testid="save-definition" title="Save (Ctrl+S)">
          {saving ? "Saving…" : "Save"}
        </button>
        <BlockPicker onPick={addStep} />
        <span class="definition-status" role="status">
          <span data-testid="draft-state" data-dirty={String(dirty.value)}>{dirty.value ? "Unsaved changes" : "Saved"}</span>
          {" · "}
          <CheckStatus check={check} />
        </span>
        <span class="muted">Ctrl+Space completes step types and fields</span>
      </div>
      {confirmErrors > 0 && (
        <div class="conflict" role="alert">
          <p>The definition has {confirmErrors === 1 ? "a compile error" : `${confirmErrors} compile errors`}: a run of it would be refused. Save it anyway?</p>
          <div class="actions">
            <button type="button" onClick={() => void save(true)}>Save anyway</button>
            <button type="button" class="quiet" onClick={() => setConfirmErrors(0)}>Keep editing</button>
          </div>
        </div>
      )}
      {conflict && (
        <div class="conflict" role="alert" data-testid="save-conflict">
          <p>Not saved: this workflow was changed elsewhere since it was opened here (its ETag no longer matches).</p>
          <div class="actions">
            <button type="button" onClick={() => void reload()}>Reload (discard my changes)</button>
            <button type="button" class="quiet" onClick={() => setConflict(false)}>Keep editing</button>
          </div>
        </div>
      )}
      {notice && <p role={notice.error ? "alert" : "status"} class={notice.error ? "error" : "muted"}>{notice.text}</p>}
      <div class={`definition-layout${errors.length || warnings.length ? " with-errors" : ""}`}>
        <div ref={host} class="definition-editor" data-testid="definition-editor" />
        {(errors.length > 0 || warnings.length > 0) && (
          <div class="definition-issues">
            <IssueList title="Compile errors" testId="compile-errors" issues={errors} onSelect={select} />
            <IssueList title="Warnings" testId="compile-warnings" issues={warnings} onSelect={select} warnings />
          </div>
        )}
      </div>
    </div>
  );
}

function CheckStatus({ check }: { check: CompileCheck | null }) {
  if (check === null) return <span data-testid="compile-status" data-state="checking">checking…</span>;
  switch (check.state) {
    case "syntax":
      return <span data-testid="compile-status" data-state="syntax" class="error">not JSON (line {check.errors[0]?.place.line ?? 1})</span>;
    case "unchecked":
      return <span data-testid="compile-status" data-state="unchecked" class="error">not checked: {check.message}</span>;
    case "checked":
      return (
        <span data-testid="compile-status" data-state={check.errors.length ? "errors" : "ok"} class={check.errors.length ? "error" : undefined}>
          {check.errors.length === 0 ? "compiles" : check.errors.length === 1 ? "1 compile error" : `${check.errors.length} compile errors`}
        </span>
      );
  }
}

function IssueList(props: { title: string; testId: string; issues: PlacedIssue[]; onSelect(issue: PlacedIssue): void; warnings?: boolean }) {
  if (props.issues.length === 0) return null;
  return (
    <section aria-label={props.title}>
      <h2 class="compile-title">{props.title}</h2>
      <ul class={`compile-list${props.warnings ? " warnings" : ""}`} data-testid={props.testId}>
        {props.issues.map((issue) => (
          <li data-line={issue.place.line} data-pointer={issue.pointer ?? ""}>
            <button type="button" onClick={() => props.onSelect(issue)}>
              <span class="where">line {issue.place.line}{issue.pointer ? ` · ${issue.pointer}` : ""}</span>
              <span>{issue.message}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Where the step of that name is in the definition's steps; -1 when it is not there. */
function stepIndex(text: string, stepName: string): number {
  const parsed = parseDefinition(text);
  if (!parsed.ok) return -1;
  const { definition } = unwrapSpecification(parsed.definition);
  const steps = isRecord(definition) ? definition["steps"] : undefined;
  return Array.isArray(steps) ? steps.findIndex((step) => isRecord(step) && step["name"] === stepName) : -1;
}

function diagnosticsOf(check: CompileCheck): Diagnostic[] {
  if (check.state !== "checked") return [];
  const diagnostic = (issue: PlacedIssue, severity: "error" | "warning"): Diagnostic => ({
    from: issue.place.from,
    to: issue.place.to,
    severity,
    source: "compile",
    message: issue.message,
  });
  return [...check.errors.map((issue) => diagnostic(issue, "error")), ...check.warnings.map((issue) => diagnostic(issue, "warning"))];
}
