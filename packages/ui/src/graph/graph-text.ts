/** What the graph's boxes say: their lines, a step's status and duration, each node's accessible name. Pure. */
import type { StepStatus } from "@cvflow/wire";
import { formatDuration } from "../format.js";
import type { TextLine } from "./graph-layout.js";
import type { GraphNode } from "./graph-model.js";

/** A step's state in a run, keyed by step name where it is passed around (runs/step-states.ts makes them from a run's events). */
export interface StepState {
  status: StepStatus;
  durationMs?: number;
  /** The step's checkpointed output was taken instead of running it again (a retry; a run going on after an answer). */
  reused?: boolean;
}

/** The status words on a step's box. */
const STATUS_TEXT: Record<StepStatus, string> = {
  pending: "pending",
  running: "running",
  succeeded: "succeeded",
  skipped: "skipped",
  failed: "failed",
  waiting: "waiting",
  cancelled: "cancelled",
};

/** What each status means, for the legend and screen readers. */
export const STATUS_MEANING: Record<StepStatus, string> = {
  pending: "not started",
  running: "running",
  succeeded: "succeeded",
  skipped: "skipped by flow control",
  failed: "failed",
  waiting: "waiting for input",
  cancelled: "cancelled",
};

/** A sign beside the status word, so states read apart without their colours too. */
export const STATUS_SIGN: Record<StepStatus, string> = {
  pending: "·",
  running: "▶",
  succeeded: "✓",
  skipped: "↷",
  failed: "✕",
  waiting: "‖",
  cancelled: "⊘",
};

/**
 * `succeeded · 120 ms`: the status in words, with the duration once the step has one. A reused
 * step's word is `reused` (its sign and colour still say its status). `reader`: the words of the
 * legend and of screen readers (`skipped by flow control`, `succeeded, taken from its checkpoint`).
 */
export function statusText(state: StepState | undefined, reader = false): string {
  const status = state?.status ?? "pending";
  const word = reader ? `${STATUS_MEANING[status]}${state?.reused ? ", taken from its checkpoint" : ""}` : state?.reused ? "reused" : STATUS_TEXT[status];
  const duration = state?.durationMs !== undefined && status !== "pending" ? ` · ${formatDuration(state.durationMs)}` : "";
  return `${word}${duration}`;
}

/** The status line of a step's box: the sign, then the status text (`✓ reused · 40 ms` for a reused step). */
export function statusLine(state: StepState | undefined): string {
  return `${STATUS_SIGN[state?.status ?? "pending"]} ${statusText(state)}`;
}

/**
 * The widest a status line gets in a step's first hour: its box is sized for it, so a state change
 * never moves a box (formatDuration's texts only grow when their unit changes).
 */
const WIDEST_STATUS = (Object.keys(STATUS_TEXT) as StepStatus[])
  .flatMap((status) => [false, true].map((reused) => statusLine({ status, durationMs: 3_599_000, reused })))
  .reduce((a, b) => (b.length > a.length ? b : a));

/**
 * A box's lines: its name; a step's block by its friendly name (when the catalogue knows the type);
 * its type; for a run's graph (`live`), room for the step's status.
 */
export function nodeLines(node: GraphNode, friendlyName: string | undefined, live: boolean): TextLine[] {
  const lines: TextLine[] = [{ style: "title", text: node.name }];
  if (node.kind === "step" && friendlyName) lines.push({ style: "detail", text: friendlyName });
  lines.push({ style: "type", text: typeOf(node) });
  if (live && node.kind === "step") lines.push({ style: "status", text: WIDEST_STATUS });
  return lines;
}

/** The type a node shows: an output's is JsonField unless it says otherwise (the only one there is). */
function typeOf(node: GraphNode): string {
  return node.type || (node.kind === "output" ? "JsonField" : "(no type)");
}

const KIND_WORD = { input: "Input", step: "Step", output: "Output" } as const;

/** What a screen reader says for a node: `Step detection: Object Detection Model (roboflow_core/…), succeeded · 120 ms`. */
export function nodeName(node: GraphNode, friendlyName: string | undefined, state: StepState | undefined, live: boolean): string {
  const type = typeOf(node);
  const block = friendlyName ? `${friendlyName} (${type})` : type;
  const status = live && node.kind === "step" ? `, ${statusText(state, true)}` : "";
  return `${KIND_WORD[node.kind]} ${node.name}: ${block}${status}`;
}
