/**
 * The workflow the page has open, in one place: what the service holds (its metadata, the saved
 * definition's text, the ETag to update it with) and the draft being edited. The Definition tab
 * writes the draft, the Graph tab draws it, the Run tab asks whether it is unsaved, and switching
 * tabs keeps it.
 */
import { CvflowError } from "@cvflow/sdk";
import type { TaggedWorkflow, Workflow } from "@cvflow/wire";
import { computed, signal } from "@preact/signals";
import { definitionText, parseDefinition, type ParsedDefinition } from "../editor/definition-text.js";
import { api } from "../session.js";

export interface OpenWorkflow {
  workspace: string;
  workflow: Workflow;
  /** The text of the newest saved version, as the page last read or wrote it. */
  savedText: string;
  etag: string;
}

export const opened = signal<OpenWorkflow | null>(null);
export const draftText = signal("");
export const dirty = computed(() => opened.value !== null && draftText.value !== opened.value.savedText);
export const draftDefinition = computed<ParsedDefinition>(() => parseDefinition(draftText.value));

/** Reads the workflow, unless it is the one open already with unsaved changes: those are kept. */
export async function openWorkflow(workspace: string, url: string): Promise<void> {
  const current = opened.value;
  if (current && current.workspace === workspace && current.workflow.url === url && dirty.value) return;
  await reloadWorkflow(workspace, url);
}

/** Reads the workflow afresh: the draft becomes the saved text (unsaved edits are dropped). */
export async function reloadWorkflow(workspace: string, url: string): Promise<void> {
  const { workflow, specification, etag } = await api().getWorkflow(workspace, url);
  const savedText = definitionText(specification);
  opened.value = { workspace, workflow, savedText, etag };
  draftText.value = savedText;
}

type SaveOutcome = { saved: true } | { saved: false; conflict: true };

/**
 * Saves `text` as the newest version with the ETag read: a workflow changed elsewhere since is a
 * conflict (412), not overwritten. Saved, the text is the new saved text and its ETag the next one.
 */
export async function saveText(text: string): Promise<SaveOutcome> {
  const current = opened.value;
  if (!current) throw new Error("no workflow is open");
  const parsed = parseDefinition(text);
  if (!parsed.ok) throw new Error(parsed.message);
  try {
    const saved = await api().updateWorkflow(current.workspace, current.workflow.url, { specification: parsed.definition }, { etag: current.etag });
    adopt(saved, text);
    return { saved: true };
  } catch (error) {
    if (error instanceof CvflowError && error.status === 412) return { saved: false, conflict: true };
    throw error;
  }
}

/** After a write of the open workflow: its new metadata and ETag; `text` when its definition changed too. */
function adopt(saved: TaggedWorkflow, text?: string): void {
  const current = opened.value;
  if (!current) return;
  const draftWasSaved = draftText.value === current.savedText;
  opened.value = { ...current, workflow: saved.workflow, etag: saved.etag, savedText: text ?? current.savedText };
  if (text !== undefined && draftWasSaved) draftText.value = text;
}

/** After a delete: nothing is open. */
export function closeWorkflow(): void {
  opened.value = null;
  draftText.value = "";
}

// Leaving the page (reload, closing the tab) with unsaved edits asks first.
addEventListener("beforeunload", (event) => {
  if (dirty.value) event.preventDefault();
});
