/**
 * How the page writes durations, sizes and times: one style each for every view (DOM-free, tested
 * in packages/ui/test/format.test.ts). The `<time>` element that shows a timestamp is time.tsx.
 */

/**
 * Elapsed time as a person reads it, to about three digits: `850 ms`, `3.42 s`, `42.0 s`,
 * `2 min 05 s`, `1 h 03 min`; "—" when not known (a run not started yet). Rounding never shows a
 * 60 (59.96 s is `1 min 00 s`) and the digits after a unit are padded, so a text grows only when its
 * unit changes: the graph sizes a step's box for `59 min 59 s`, and no time in a step's first hour widens it.
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(ms < 9_995 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${two(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${two(Math.floor(seconds / 60) % 60)} min`;
}

/** A size in bytes: `512 B`, `1.5 KB`, `482 KB`, `2.3 MB` (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1023.5) return `${kb.toFixed(kb < 9.95 ? 1 : 0)} KB`;
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** A timestamp in the browser's locale and time zone, to the second; a text that is no time is shown as it is. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}
