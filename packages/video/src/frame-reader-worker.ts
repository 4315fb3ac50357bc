/**
 * The worker thread behind a VideoSource: it runs ffmpeg and reads its stdout into whole rgb24
 * frames, each handed to the main thread as a transferred ArrayBuffer (no copy). It exists because
 * onnxruntime-node's session.run holds the main thread: read there, ffmpeg's pipe (64 KiB, a frame
 * being ~1.3 MB) filled during every model run and decoding waited for the run to end; read here,
 * the next frames are decoded and assembled while the model runs.
 *
 * - A file (`live: false`) gives only the frames the main thread asked for, by number (0 for the
 *   first frame ffmpeg writes), in order: frames before the next one asked for are read and let go
 *   (maxFps, decided by the main thread), and once none is asked for, stdout is paused — the pipe
 *   fills and ffmpeg waits (backpressure).
 * - A live source reads every frame as it arrives, stamped with its arrival time, and gives it
 *   unless `capacity` frames given are not yet `received` (the main thread is busy, in a model run
 *   say): then it keeps the newest `capacity` frames, dropping the oldest, and gives them as the
 *   main thread catches up. The main thread's queue drops the oldest too, and applies maxFps.
 * - `stop`: ffmpeg is killed (SIGTERM, SIGKILL after STOP_GRACE_MS) and reaped; then, as when it
 *   ends by itself, `exited` is the last message and the thread ends.
 *
 * Frames read and not given (left out or dropped) show as gaps in the numbers of those given.
 *
 * Node built-ins and type-only imports only: Node runs this file as it is (type stripping), under
 * tsx, vitest or plain node alike, with no loader in the worker. The spawning and stopping mirror
 * ffmpeg.ts's startProcess, which the worker cannot import without one.
 */
import { spawn } from "node:child_process";
import { parentPort, workerData } from "node:worker_threads";

export interface FrameReaderData {
  program: string;
  args: string[];
  frameBytes: number;
  live: boolean;
  /** A live source: frames given and not yet received at most, and frames kept meanwhile. */
  capacity: number;
}

/** To the worker: give frame `want` (a file), a live frame was `received`, or stop. */
export type ToFrameReader = { want: number } | { received: true } | { stop: true };

/** From the worker: spawned (or why not), frames, and last of all `exited`. */
export type FromFrameReader =
  | { kind: "spawned" }
  | { kind: "spawn-failed"; code: string | undefined; message: string }
  /** `arrivedAt`: ms since the epoch (performance.timeOrigin + now, comparable across threads). */
  | ({ kind: "frame" } & Frame)
  /** `code`: ffmpeg's exit code, null when killed; `decoded`: frames read in all; `stderr`: its last few KB. */
  | { kind: "exited"; code: number | null; decoded: number; stderr: string };

interface Frame {
  data: ArrayBuffer;
  number: number;
  arrivedAt: number;
}

/** How much of ffmpeg's stderr is kept for an error message (its last lines say what went wrong). */
const STDERR_TAIL = 4096;
const STOP_GRACE_MS = 2000;

const { program, args, frameBytes, live, capacity } = workerData as FrameReaderData;
const port = parentPort!;
const post = (message: FromFrameReader, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
const stdout = child.stdout;
let stderr = "";
child.stderr.setEncoding("utf8").on("data", (text: string) => {
  stderr = (stderr + text).slice(-STDERR_TAIL);
});

/** A file: the frame numbers asked for and not given yet, in order. */
const wanted: number[] = [];
/**
 * Frames read and not given yet. A file: those read while none was asked for (the rest of the
 * chunk that completed the last one asked for; small frames fit several in a chunk), until the
 * next ask settles them. A live source: the newest, while the main thread is behind.
 */
const held: Frame[] = [];
/** A live source: frames given and not yet received. */
let unreceived = 0;
let decoded = 0;
let filled = 0;
// allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so it can be transferred.
let partial = Buffer.allocUnsafeSlow(frameBytes);
let closedWith: { code: number | null } | undefined;
let stopping = false;
let finished = false;
let killTimer: NodeJS.Timeout | undefined;

stdout.on("data", (chunk: Buffer) => {
  let offset = 0;
  while (offset < chunk.length) {
    const n = Math.min(chunk.length - offset, frameBytes - filled);
    chunk.copy(partial, filled, offset, offset + n);
    filled += n;
    offset += n;
    if (filled === frameBytes) {
      held.push({ data: partial.buffer as ArrayBuffer, number: decoded++, arrivedAt: performance.timeOrigin + performance.now() });
      partial = Buffer.allocUnsafeSlow(frameBytes);
      filled = 0;
      if (live && held.length > capacity) held.shift();
      settle();
    }
  }
});
// A file reads nothing until a frame is asked for.
if (!live) stdout.pause();

function give(frame: Frame): void {
  post({ kind: "frame", ...frame }, [frame.data]);
}

/** Gives what can be given; a file reads on only while some frame is asked for. */
function settle(): void {
  if (live) {
    for (; held.length > 0 && unreceived < capacity; unreceived++) give(held.shift()!);
  } else {
    while (held.length > 0 && wanted.length > 0) {
      const frame = held.shift()!;
      // Frames come in order and are asked for in order: one before the next asked for is left out (maxFps).
      if (frame.number === wanted[0]) {
        wanted.shift();
        give(frame);
      }
    }
    if (wanted.length === 0) stdout.pause();
    else stdout.resume();
  }
  finishIfDone();
}

/** `exited` once ffmpeg is gone and no frame read is still to be given (or the source is stopping). */
function finishIfDone(): void {
  if (finished || !closedWith || (held.length > 0 && !stopping)) return;
  finished = true;
  post({ kind: "exited", code: closedWith.code, decoded, stderr });
  port.close();
}

child.once("spawn", () => post({ kind: "spawned" }));
child.once("error", (error: NodeJS.ErrnoException) => {
  // Only a failed spawn has no pid; a kill that fails later leaves "close" to end it.
  if (child.pid === undefined) {
    post({ kind: "spawn-failed", code: error.code, message: error.message });
    port.close();
  }
});
child.once("close", (code: number | null) => {
  clearTimeout(killTimer);
  if (child.pid === undefined) return;
  closedWith = { code };
  finishIfDone();
});

port.on("message", (message: ToFrameReader) => {
  if ("want" in message) wanted.push(message.want);
  else if ("received" in message) unreceived--;
  else return stop();
  settle();
});

function stop(): void {
  stopping = true;
  // A paused stdout holding unread data would keep the child's "close" from ever coming.
  stdout.destroy();
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    killTimer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  }
  finishIfDone();
}
