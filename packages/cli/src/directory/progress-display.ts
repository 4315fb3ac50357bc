/**
 * Progress on stderr: a bar redrawn in place (with images/s and ETA) on a terminal, plain lines
 * every few seconds otherwise (logs, CI, pipes), where a redrawn bar would be a wall of "\r".
 */

export interface Progress {
  /** Images this run has to process (a video: frames it has to go through). */
  total: number;
  done: number;
  failed: number;
  elapsedSeconds: number;
  /** What to show as the rate, when it is not done/elapsed (a video with --max-fps: the frames the workflow ran on per second, while the bar follows the frame number). */
  rate?: number;
}

export interface ProgressDisplay {
  update(progress: Progress): void;
  /** The last state, always shown. */
  finish(progress: Progress): void;
}

const BAR_WIDTH = 24;
const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 2_000;

export function progressDisplay(stream: NodeJS.WritableStream & { isTTY?: boolean }, unit = "images"): ProgressDisplay {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  const show = (progress: Progress, final: boolean) => {
    const now = Date.now();
    if (!final && now - last < (tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
    last = now;
    if (tty) stream.write(`\r${bar(progress)}  ${figures(progress, unit)}\x1b[K${final ? "\n" : ""}`);
    else stream.write(`progress: ${figures(progress, unit)}\n`);
  };
  return { update: (progress) => show(progress, false), finish: (progress) => show(progress, true) };
}

function bar({ total, done, failed }: Progress): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * (done + failed)) / total);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
}

/** `12/40 images (1 failed), 3.2 images/s, ETA 9s` */
export function figures({ total, done, failed, elapsedSeconds, rate: shown }: Progress, unit = "images"): string {
  const processed = done + failed;
  const rate = elapsedSeconds > 0 ? processed / elapsedSeconds : 0;
  const eta = rate > 0 && processed < total ? `, ETA ${duration((total - processed) / rate)}` : "";
  return `${processed}/${total} ${unit}${failed ? ` (${failed} failed)` : ""}, ${(shown ?? rate).toFixed(1)} ${unit}/s${eta}`;
}

export function duration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
