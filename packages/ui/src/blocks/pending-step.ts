/**
 * A step the block catalogue's "Add to workflow" asked for, waiting for the workflow's Definition
 * tab to put it into that workflow's draft (with insertStep) when it opens. The catalogue sets it
 * and navigates; the tab takes it (once) for its own workflow.
 */
import { signal } from "@preact/signals";
import type { BlockDescription } from "@cvflow/wire";

interface PendingStep {
  /** The workflow's url (its id in the workspace). */
  workflow: string;
  block: BlockDescription;
}

export const pendingStep = signal<PendingStep | null>(null);

/** The block waiting to be added to `workflow`, cleared as it is taken; undefined when none waits for it. */
export function takePendingStep(workflow: string): BlockDescription | undefined {
  const pending = pendingStep.value;
  if (pending?.workflow !== workflow) return undefined;
  pendingStep.value = null;
  return pending.block;
}
