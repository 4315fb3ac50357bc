/** What the graph's boxes say: their lines, a step's status and duration, each node's accessible name. Pure. */
import type { StepStatus } from "@cvflow/wire";
import type { TextLine } from "./graph-layout.js";
import type { GraphNode } from "./graph-model.js";

/** A step's state in a run, keyed by step name where it is passed around. */
export interface StepState {
  status: StepStatus;
  durationMs?: number;
}

/** The status words on a step's box. */
export const STATUS_TEXT: Record<StepStatus, string> = {
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

/** The widest a status line gets: its box is sized for it, so a state change never moves a box. */
const WIDEST_STATUS = Object.values(STATUS_TEXT)
  .map((text) => `✓ ${text} · 59 min 59 s`)
  .reduce((a, b) => (b.length > a.length ? b : a));

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(ms < 9_995 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${two(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${two(Math.floor(seconds / 60) % 60)} min`;
}

/** `succeeded · 120 ms`: the status in words (`words`: the box's or the legend's), with the duration once the step has one. */
export function statusText(state: StepState | undefined, words: Record<StepStatus, string> = STATUS_TEXT): string {
  const status = state?.status ?? "pending";
  const duration = state?.durationMs !== undefined && status !== "pending" ? ` · ${formatDuration(state.durationMs)}` : "";
  return `${words[status]}${duration}`;
}

/** The status line of a step's box: the sign, then the status text. */
export function statusLine(state: StepState | undefined): string {
  return `${STATUS_SIGN[state?.status ?? "pending"]} ${statusText(state)}`;
}

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
  const status = live && node.kind === "step" ? `, ${statusText(state, STATUS_MEANING)}` : "";
  return `${KIND_WORD[node.kind]} ${node.name}: ${block}${status}`;
}
