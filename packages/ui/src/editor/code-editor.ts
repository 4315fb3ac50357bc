/**
 * The CodeMirror 6 editor of a definition: JSON with its syntax errors, the grammar's JSON Schema
 * (completion of step types and field names, schema lint, hover) from codemirror-json-schema, and
 * the service's compile errors as diagnostics at their lines. The page's state stays outside: the
 * editor reports each new text and takes texts written elsewhere (a reload, an inserted step).
 */
import { json, jsonLanguage, jsonParseLinter } from "@codemirror/lang-json";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, hoverTooltip, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { handleRefresh, jsonCompletion, jsonSchemaHover, jsonSchemaLinter, stateExtensions, updateSchema } from "codemirror-json-schema";
import { minimalChange } from "./definition-text.js";
import { editorLook } from "./editor-theme.js";

interface CodeEditorOptions {
  text: string;
  /** Each new text of the editor. */
  onText(text: string): void;
  /** The compile diagnostics of a text; asked after typing pauses (the linter's delay). */
  compile(text: string): Promise<Diagnostic[]>;
  /** Mod-S. */
  onSave(): void;
}

/** The JSON Schema type codemirror-json-schema takes. */
export type EditorSchema = NonNullable<Parameters<typeof updateSchema>[1]>;

export interface CodeEditor {
  /** Shows a text written elsewhere, changing only what differs (cursor and undo history kept). */
  showText(text: string): void;
  /** Selects a range, scrolls it into view and focuses the editor. */
  select(from: number, to: number): void;
  setSchema(schema: EditorSchema): void;
  destroy(): void;
}

/** Typing pauses this long before the compile check (and the schema lint) run. */
const CHECK_DELAY_MS = 500;

export function createCodeEditor(parent: HTMLElement, options: CodeEditorOptions): CodeEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        Prec.high(keymap.of([{ key: "Mod-s", preventDefault: true, run: () => (options.onSave(), true) }])),
        basicSetup,
        json(),
        lintGutter(),
        linter(jsonParseLinter(), { delay: CHECK_DELAY_MS }),
        linter(jsonSchemaLinter(), { needsRefresh: handleRefresh }),
        linter(async (current) => {
          const doc = current.state.doc;
          const diagnostics = await options.compile(doc.toString());
          return current.state.doc === doc ? diagnostics : [];
        }),
        jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
        hoverTooltip(jsonSchemaHover()),
        stateExtensions(),
        editorLook,
        EditorView.contentAttributes.of({ "aria-label": "Workflow definition (JSON)" }),
        EditorView.updateListener.of((update) => {
          // Texts shown with showText come back here too: the same text, a no-op for the page's signal.
          if (update.docChanged) options.onText(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    showText(text) {
      const current = view.state.doc.toString();
      if (current !== text) view.dispatch({ changes: minimalChange(current, text) });
    },
    select(from, to) {
      const length = view.state.doc.length;
      view.dispatch({ selection: { anchor: Math.min(from, length), head: Math.min(to, length) }, scrollIntoView: true });
      view.focus();
    },
    setSchema(schema) {
      updateSchema(view, schema);
    },
    destroy() {
      view.destroy();
    },
  };
}
