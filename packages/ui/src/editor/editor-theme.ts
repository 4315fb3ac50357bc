/**
 * The editor's look, in the page's CSS variables (styles.css, editor.css): one theme that follows
 * the system's dark or light choice as the rest of the page does, with no second theme to switch.
 */
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";

const theme = EditorView.theme({
  "&": { color: "var(--fg)", backgroundColor: "var(--bg)", height: "100%" },
  "&.cm-focused": { outline: "2px solid var(--accent)", outlineOffset: "-2px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: "13px", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--fg)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    backgroundColor: "var(--cm-selection)",
  },
  ".cm-activeLine": { backgroundColor: "var(--cm-active-line)" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--cm-active-line)", color: "var(--fg)" },
  ".cm-foldPlaceholder": { backgroundColor: "var(--panel)", border: "1px solid var(--border)", color: "var(--muted)" },
  ".cm-searchMatch": { backgroundColor: "var(--cm-match)", outline: "1px solid var(--border)" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--cm-match)" },
  ".cm-selectionMatch": { backgroundColor: "var(--cm-match)" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)", borderRadius: "var(--radius)", maxWidth: "min(520px, 90vw)" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-fg)" },
  ".cm-completionDetail": { color: "var(--muted)", fontStyle: "normal", marginLeft: "1em" },
  ".cm-completionInfo": { padding: "6px 8px" },
  ".cm-tooltip-hover, .cm-tooltip-lint": { padding: "4px 8px" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--fail)" },
  ".cm-diagnostic-warning": { borderLeftColor: "var(--run)" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy var(--fail)", textUnderlineOffset: "3px" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecoration: "underline wavy var(--run)", textUnderlineOffset: "3px" },
});

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--cm-key)" },
  { tag: tags.string, color: "var(--cm-string)" },
  { tag: tags.number, color: "var(--cm-number)" },
  { tag: [tags.bool, tags.null], color: "var(--cm-keyword)" },
  { tag: tags.invalid, color: "var(--fail)" },
]);

export const editorLook = [theme, syntaxHighlighting(highlight)];
