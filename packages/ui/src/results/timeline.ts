/**
 * A run's steps on one time axis (the profiler timeline): each step's bar from its `startedAt` to
 * its `finishedAt` (now, while it runs), from the earliest start of any step or of the run; the
 * block's own time (`durationMs`) beside it; steps a retry reused from an earlier attempt marked.
 * Pure; `now` is passed in.
 */
import type { RunRecord, StepStatus } from "@cvflow/wire";

interface TimelineBar {
  name: string;
  block: string;
  status: StepStatus;
  /** Taken from an earlier attempt's checkpoint, not run by the latest attempt. */
  reused: boolean;
  /** Position and length on the axis, in percent of it; absent for a step that never started. */
  left?: number;
  width?: number;
  /** Wall time from start to finish (to now while running), ms. */
  spanMs?: number;
  /** The block's own time as the record gives it, ms. */
  durationMs?: number;
}

interface Timeline {
  /** The axis' length, ms (at least 1). */
  totalMs: number;
  /** Where to draw the axis' marks, ms from its start. */
  ticks: number[];
  bars: TimelineBar[];
}

export function timeline(record: Pick<RunRecord, "startedAt" | "finishedAt" | "steps" | "attempts">, now: number): Timeline {
  const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  const starts = record.steps.map((step) => time(step.startedAt)).filter((t): t is number => t !== undefined && Number.isFinite(t));
  const runStart = time(record.startedAt);
  const origin = Math.min(...starts, ...(runStart !== undefined ? [runStart] : []));
  const ends = record.steps.map((step) => stepEnd(step.startedAt, step.finishedAt, step.status, now)).filter((t): t is number => t !== undefined);
  const runEnd = time(record.finishedAt);
  const end = Math.max(...ends, ...(runEnd !== undefined ? [runEnd] : []), origin);
  const totalMs = Number.isFinite(origin) ? Math.max(1, end - origin) : 1;
  const latest = record.attempts.at(-1);
  const bars = record.steps.map((step): TimelineBar => {
    const reused = latest !== undefined && (latest.reusedSteps.includes(step.name) || (step.attempt !== undefined && step.attempt < latest.number && step.status === "succeeded"));
    const bar: TimelineBar = { name: step.name, block: step.block, status: step.status, reused, ...(step.durationMs !== undefined ? { durationMs: step.durationMs } : {}) };
    const start = time(step.startedAt);
    const stop = stepEnd(step.startedAt, step.finishedAt, step.status, now);
    if (start === undefined || stop === undefined || !Number.isFinite(origin)) return bar;
    return { ...bar, left: ((start - origin) / totalMs) * 100, width: (Math.max(0, stop - start) / totalMs) * 100, spanMs: Math.max(0, stop - start) };
  });
  return { totalMs, ticks: ticks(totalMs), bars };
}

/** A step's end on the axis: its finish, or now while it runs (or waits); none before it starts. */
function stepEnd(startedAt: string | undefined, finishedAt: string | undefined, status: StepStatus, now: number): number | undefined {
  if (startedAt === undefined) return undefined;
  if (finishedAt !== undefined) return Date.parse(finishedAt);
  return status === "running" || status === "waiting" ? Math.max(now, Date.parse(startedAt)) : Date.parse(startedAt);
}

/** Round marks (1, 2 or 5 times a power of ten) at most 6 of them, from 0 to the axis' end. */
export function ticks(totalMs: number): number[] {
  const rough = totalMs / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => totalMs / s <= 6)!;
  const marks: number[] = [];
  for (let t = 0; t <= totalMs + 1e-9; t += step) marks.push(Number(t.toPrecision(12)));
  return marks;
}

/**
 * An axis mark's label: "0.5 ms", "250 ms", "1.5 s", "2 min 5 s". Not format.ts's formatDuration,
 * which says a measured time to about three digits: a mark is an exact round number at the axis'
 * step, which can be a fraction of a millisecond (a 3 ms axis is marked every 0.5 ms), so it keeps
 * the digits that tell neighbouring marks apart and drops trailing zeros ("2 s", not "2.00 s").
 */
export function tickLabel(ms: number): string {
  if (ms < 1000) return `${Number(ms.toPrecision(4))} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
