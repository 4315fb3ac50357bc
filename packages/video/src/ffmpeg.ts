/**
 * Running ffmpeg and ffprobe as child processes: found on PATH ($CVFLOW_FFMPEG / $CVFLOW_FFPROBE
 * override), a missing program is one clear error, and a process is always waited for once it is
 * stopped (no zombie), whether it ended, failed or was killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { ffmpegMissing } from "./errors.js";

export const FFMPEG = process.env["CVFLOW_FFMPEG"] ?? "ffmpeg";
export const FFPROBE = process.env["CVFLOW_FFPROBE"] ?? "ffprobe";

/** How much of a process's stderr is kept for an error message (its last lines say what went wrong). */
const STDERR_TAIL = 4096;

export interface RunningProcess {
  child: ChildProcess;
  /** Resolves once the process has exited and been reaped: its exit code, or null when killed by a signal. */
  exited: Promise<number | null>;
  /** The last few KB of stderr, for error messages. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still there; resolves once it is reaped. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `program args`; rejects with `ffmpeg_missing` when the program is not installed. */
export async function startProcess(program: string, args: readonly string[], stdin: "pipe" | "ignore" = "ignore"): Promise<RunningProcess> {
  const child = spawn(program, args, { stdio: [stdin, "pipe", "pipe"] });
  let tail = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    tail = (tail + text).slice(-STDERR_TAIL);
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "ENOENT" ? ffmpegMissing(program) : error));
  });
  return {
    child,
    exited,
    stderrTail: () => tail,
    async stop(graceMs = 2000) {
      // A paused stdout holding unread data would keep the child's "close" from ever coming.
      child.stdout?.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
  };
}

/** The last non-empty line of ffmpeg's stderr, without its "[demuxer @ 0x...]" prefix: what went wrong. */
export function lastError(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, "").trim()).filter(Boolean);
  return lines.at(-1) ?? "ffmpeg gave no reason";
}

/** Runs a program to its end and returns its stdout; rejects with its last error line on a non-zero exit. */
export async function runToEnd(program: string, args: readonly string[]): Promise<{ stdout: string; code: number | null; stderr: string }> {
  const proc = await startProcess(program, args);
  const chunks: Buffer[] = [];
  proc.child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk));
  const code = await proc.exited;
  return { stdout: Buffer.concat(chunks).toString("utf8"), code, stderr: proc.stderrTail() };
}

let encoders: Promise<string> | undefined;
let options: Promise<string> | undefined;

/** Whether this ffmpeg has the encoder `name` (libx264 is in Debian's build, not in every one). */
export async function hasEncoder(name: string): Promise<boolean> {
  encoders ??= runToEnd(FFMPEG, ["-hide_banner", "-encoders"]).then((result) => result.stdout);
  return new RegExp(`^\\s*V\\S*\\s+${name}\\s`, "m").test(await encoders);
}

/** Whether this ffmpeg takes the option `-name` (`-h long` lists the options of ffmpeg itself, not of its codecs). */
async function hasOption(name: string): Promise<boolean> {
  options ??= runToEnd(FFMPEG, ["-hide_banner", "-h", "long"]).then((result) => result.stdout);
  return new RegExp(`^-${name}\\s`, "m").test(await options);
}

/**
 * Every decoded frame out once, as it comes (no duplicates or drops to make a constant rate):
 * `-fps_mode passthrough` from ffmpeg 5.1 on, which deprecates `-vsync`; `-vsync passthrough`
 * before it (the functions' image carries a static ffmpeg 4.1, docs/deploy.md).
 */
export async function passthroughFrameArgs(): Promise<string[]> {
  return (await hasOption("fps_mode")) ? ["-fps_mode", "passthrough"] : ["-vsync", "passthrough"];
}
