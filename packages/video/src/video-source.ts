/**
 * A video decoded by ffmpeg into raw rgb24 frames over its stdout (never frames on disk), read as
 * fixed-size frames into a small queue that the consumer takes from. ffmpeg runs from a worker
 * thread that reads its pipe (frame-reader-worker.ts) and hands each frame over without a copy:
 * onnxruntime-node's session.run holds the main thread, and the pipe must be read while it does
 * for decoding to get ahead of the model. The queue, the counters and maxFps live here.
 *
 * - A file never loses a frame: the worker gives only the frames asked for, at most `bufferFrames`
 *   beyond those queued; past them its stdout is paused, the pipe fills and ffmpeg waits
 *   (backpressure), so decoding runs at most `bufferFrames` (and the frame being read) ahead of
 *   the consumer. maxFps is applied when asking (a file's frame times are known ahead), so the
 *   frames it leaves out are read and let go in the worker, while the model runs.
 * - A live source (a stream, a camera, or `live: true`) cannot wait: when the consumer is behind,
 *   the oldest queued frame is dropped for the new one (counted in `dropped`), so that what the
 *   consumer gets is the freshest frame, not one lagging further and further behind. The worker
 *   reads on while this thread is busy and drops the oldest likewise, beyond `bufferFrames` given
 *   and not yet received here: memory stays bounded however long a model run holds this thread.
 * - `maxFps`: a frame is taken only when at least 1/maxFps seconds (media time for a file, arrival
 *   time for a live source) have passed since the last one taken — an upper bound on the rate,
 *   as Roboflow's frame-rate limiter for streams; the others are skipped (counted in `skipped`).
 */
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { FFMPEG, lastError, passthroughFrameArgs } from "./ffmpeg.js";
import { ffmpegMissing, videoDecodeFailed } from "./errors.js";
import type { FrameReaderData, FromFrameReader, ToFrameReader } from "./frame-reader-worker.js";
import { lastTakenBefore, takesFrame } from "./frame-rate-limit.js";
import { probeVideo, type VideoProbe } from "./probe.js";
import type { VideoFrame } from "./video-frame.js";
import { resolveReference, type VideoReference } from "./video-reference.js";

export interface VideoSourceOptions {
  /** Its place in a pipeline's list of sources (VideoFrame.sourceId); default 0. */
  sourceId?: number;
  /** Take at most this many frames per second. */
  maxFps?: number;
  /** Treat as live (drop frames when behind); default: true for URLs and cameras, false for files. */
  live?: boolean;
  /** Read a file at its own frame rate (ffmpeg -re), as a camera would deliver it. */
  realtime?: boolean;
  /** Frames decoded ahead of the consumer; default 2. */
  bufferFrames?: number;
  /** Stops decoding (kills ffmpeg) when aborted. */
  signal?: AbortSignal;
  /** Probe result, when the caller already has it. */
  probe?: VideoProbe;
  /**
   * A file: the 0-based index of the first frame to decode; ffmpeg seeks to it (an accurate seek:
   * decoding starts at the keyframe before and discards up to it), frames keep their place in the
   * whole file (frameId, time) and maxFps takes the frames a decode from the start would take.
   * Frames sit at index / fps (a constant rate, as the frame times here assume anyway).
   */
  startFrame?: number;
  /** Stop after decoding this many frames (from startFrame). */
  frameLimit?: number;
  /** A file that is not on this disk (an S3 object): its modification time in ms, for frame timestamps (see wallStartOf). */
  modifiedAt?: number;
}

export interface VideoSourceCounters {
  /** Frames ffmpeg delivered. */
  decoded: number;
  /** Frames a live source dropped because the consumer was behind. */
  dropped: number;
  /** Frames left out by maxFps. */
  skipped: number;
  /** Frames the consumer took. */
  taken: number;
}

/** How many recent arrivals a live source's measured fps is taken over. */
const FPS_WINDOW = 30;
/**
 * The worker's file. From the sources: frame-reader-worker.ts beside this module (Node runs it as
 * it is, type stripping). In the functions' bundles (scripts/build/bundle-functions.ts), where it
 * is an entry of its own, frame-reader-worker.mjs beside the entry bundles: this module is bundled
 * into one of them or into their chunks/.
 */
const FRAME_READER = import.meta.url.endsWith(".ts")
  ? new URL("./frame-reader-worker.ts", import.meta.url)
  : new URL(import.meta.url.includes("/chunks/") ? "../frame-reader-worker.mjs" : "./frame-reader-worker.mjs", import.meta.url);

interface Settle {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class VideoSource implements AsyncIterable<VideoFrame> {
  readonly reference: string;
  readonly probe: VideoProbe;
  readonly live: boolean;
  readonly sourceId: number;
  readonly counters: VideoSourceCounters = { decoded: 0, dropped: 0, skipped: 0, taken: 0 };

  readonly #reader: Worker;
  /** Resolves once ffmpeg runs; rejects when it could not be started. */
  readonly #started: Promise<void>;
  /** Resolves once the worker thread has ended (ffmpeg reaped before). */
  readonly #readerEnded: Promise<void>;
  readonly #startedNow: Settle;
  readonly #capacity: number;
  readonly #maxFps: number | undefined;
  /** The index of the first frame ffmpeg delivers (startFrame). */
  readonly #firstIndex: number;
  /** When decoding started, in ms since the epoch: a live frame's time is its arrival since then. */
  readonly #origin = performance.timeOrigin + performance.now();
  /** Wall-clock ms of the first frame (see wallStartOf). */
  readonly #wallStart: number;
  readonly #queue: VideoFrame[] = [];
  readonly #arrivals: number[] = [];
  /** A file: frames asked of the worker and not received yet. */
  #asked = 0;
  /** A file: the number (0 for ffmpeg's first frame) that the next ask starts looking from. */
  #cursor = 0;
  #lastTaken: number | undefined;
  #ended = false;
  #failure: Error | undefined;
  #stopped = false;
  /** Who waits for the next frame, the end, or a failure (next() and waitQueued()). */
  readonly #waiting: (() => void)[] = [];

  private constructor(reference: string, probe: VideoProbe, args: string[], options: VideoSourceOptions, live: boolean, wallStart: number) {
    this.reference = reference;
    this.probe = probe;
    this.live = live;
    this.sourceId = options.sourceId ?? 0;
    this.#capacity = Math.max(1, options.bufferFrames ?? 2);
    this.#maxFps = options.maxFps;
    this.#firstIndex = options.startFrame ?? 0;
    if (this.#firstIndex > 0 && probe.fps) this.#lastTaken = lastTakenBefore(this.#firstIndex, probe.fps, options.maxFps);
    this.#wallStart = wallStart;
    let startedNow!: Settle;
    this.#started = new Promise<void>((resolve, reject) => (startedNow = { resolve, reject }));
    this.#startedNow = startedNow;
    const data: FrameReaderData = { program: FFMPEG, args, frameBytes: probe.width * probe.height * 3, live, capacity: this.#capacity };
    this.#reader = new Worker(FRAME_READER, { workerData: data });
    this.#reader.on("message", (message: FromFrameReader) => this.#receive(message));
    this.#readerEnded = new Promise<void>((resolve) =>
      this.#reader
        .once("error", (error) => this.#end(error))
        .once("exit", () => {
          this.#end(undefined);
          resolve();
        }),
    );
    this.#ask();
    options.signal?.addEventListener("abort", () => void this.close(), { once: true });
  }

  /** Probes the source and starts decoding it. */
  static async open(reference: VideoReference, options: VideoSourceOptions = {}): Promise<VideoSource> {
    options.signal?.throwIfAborted();
    const source = resolveReference(reference);
    const probe = options.probe ?? (await probeVideo(reference));
    const live = options.live ?? source.kind !== "file";
    const start = options.startFrame ?? 0;
    if (start > 0 && !probe.fps) throw videoDecodeFailed(String(reference), "it declares no frame rate, so a frame cannot be sought");
    const args = [
      "-hide_banner", "-nostdin", "-loglevel", "error",
      ...(options.realtime ? ["-re"] : []),
      // Half a frame early: frame `start` sits at start / fps, and rounding must not skip it.
      ...(start > 0 ? ["-ss", ((start - 0.5) / probe.fps!).toFixed(6)] : []),
      ...source.inputArgs,
      "-i", source.input,
      "-map", "0:v:0", "-an",
      ...(options.frameLimit === undefined ? [] : ["-frames:v", String(options.frameLimit)]),
      // Every decoded frame once, as it comes (no duplicates or drops to make a constant rate).
      ...(await passthroughFrameArgs()),
      "-f", "rawvideo", "-pix_fmt", "rgb24",
      "pipe:1",
    ];
    const wallStart = await wallStartOf(source.kind === "file" && !live ? source.input : undefined, probe, options.modifiedAt);
    const opened = new VideoSource(String(reference), probe, args, options, live, wallStart);
    await opened.#started;
    return opened;
  }

  /** The frame next() would give now, when one is decoded and waiting; it stays queued (and may yet be dropped, live). */
  peek(): VideoFrame | undefined {
    return this.#queue[0];
  }
  /** The next frame taken, or undefined once the video has ended (or the source was closed). */
  async next(): Promise<VideoFrame | undefined> {
    for (;;) {
      const frame = this.#queue.shift();
      if (frame) {
        this.counters.taken++;
        this.#ask();
        return frame;
      }
      if (this.#failure) throw this.#failure;
      if (this.#ended || this.#stopped) return undefined;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  /** The frame next() would give, once one is decoded, without taking it; undefined at the end. */
  async waitQueued(): Promise<VideoFrame | undefined> {
    for (;;) {
      const frame = this.#queue[0];
      if (frame || this.#failure || this.#ended || this.#stopped) return frame;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<VideoFrame> {
    try {
      for (let frame = await this.next(); frame; frame = await this.next()) yield frame;
    } finally {
      await this.close();
    }
  }

  /** Frames queued and not yet taken. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Stops decoding: ffmpeg is killed and reaped, the worker thread ends; queued frames are dropped. Idempotent. */
  async close(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#queue.length = 0;
      this.#notify();
      this.#send({ stop: true });
    }
    await this.#readerEnded;
  }

  #send(message: ToFrameReader): void {
    // A worker that has ended already drops what is posted to it.
    this.#reader.postMessage(message);
  }

  /** A file: asks the worker for frames until those asked and those queued make `bufferFrames`. */
  #ask(): void {
    if (this.live || this.#stopped || this.#ended) return;
    while (this.#queue.length + this.#asked < this.#capacity) {
      this.#send({ want: this.#nextWanted() });
      this.#asked++;
    }
  }

  /** A file: the number of the next frame maxFps takes (at a declared rate its time is known ahead); without a rate, simply the next. */
  #nextWanted(): number {
    const fps = this.probe.fps;
    for (;;) {
      const number = this.#cursor++;
      if (!this.#maxFps || !fps) return number;
      const seconds = (this.#firstIndex + number) / fps;
      if (takesFrame(seconds, this.#lastTaken, this.#maxFps)) {
        this.#lastTaken = seconds;
        return number;
      }
    }
  }

  #receive(message: FromFrameReader): void {
    switch (message.kind) {
      case "spawned":
        return this.#startedNow.resolve();
      case "spawn-failed":
        return this.#startedNow.reject(message.code === "ENOENT" ? ffmpegMissing(FFMPEG) : new Error(message.message));
      case "frame":
        return this.#frame(message.number, Buffer.from(message.data), message.arrivedAt);
      case "exited":
        if (this.#stopped) return;
        this.#countUngiven(message.decoded);
        if (message.code !== 0) this.#failure = videoDecodeFailed(this.reference, lastError(message.stderr));
        return this.#end(undefined);
    }
  }

  /** The worker is done (or failed): no frame comes any more. */
  #end(failure: Error | undefined): void {
    this.#failure ??= this.#stopped ? undefined : failure;
    this.#ended = true;
    this.#startedNow.reject(this.#failure ?? new Error("the frame reader ended before ffmpeg started"));
    this.#notify();
  }

  /**
   * Frames the worker read and did not give, up to `decoded` in all: a file's are those maxFps
   * leaves out, a live source's those it dropped while this thread was behind.
   */
  #countUngiven(decoded: number): void {
    this.counters[this.live ? "dropped" : "skipped"] += decoded - this.counters.decoded;
    this.counters.decoded = decoded;
  }

  /** Frame `number` (0 for ffmpeg's first) from the worker, which read it at `arrivedAt` (ms since the epoch). */
  #frame(number: number, data: Buffer, arrivedAt: number): void {
    if (this.#stopped) return;
    if (this.live) this.#send({ received: true });
    else this.#asked--;
    this.#countUngiven(number);
    this.counters.decoded++;
    const index = this.#firstIndex + number;
    const { width, height, fps } = this.probe;
    // A file's frames are placed by their index at its declared rate; a live one's by arrival.
    const byArrival = this.live || !fps;
    const seconds = byArrival ? (arrivedAt - this.#origin) / 1000 : index / fps;
    if (this.live) {
      this.#arrivals.push(arrivedAt);
      if (this.#arrivals.length > FPS_WINDOW) this.#arrivals.shift();
    }
    // maxFps on arrival times decides here; on a file's frame times it decided when asking (#nextWanted).
    if (byArrival) {
      if (!takesFrame(seconds, this.#lastTaken, this.#maxFps)) {
        this.counters.skipped++;
        this.#ask();
        return;
      }
      this.#lastTaken = seconds;
    }
    this.#queue.push({
      image: { data, width, height, channels: 3 },
      frameId: index + 1,
      frameTimestamp: new Date(this.live ? arrivedAt : this.#wallStart + seconds * 1000),
      sourceId: this.sourceId,
      fps,
      measuredFps: this.live ? this.#measuredFps() : fps,
      comesFromVideoFile: !this.live,
    });
    if (this.live && this.#queue.length > this.#capacity) {
      this.#queue.shift();
      this.counters.dropped++;
    }
    this.#notify();
  }

  #measuredFps(): number | null {
    const first = this.#arrivals[0];
    const last = this.#arrivals.at(-1);
    if (first === undefined || last === undefined || last <= first) return null;
    return ((this.#arrivals.length - 1) * 1000) / (last - first);
  }

  #notify(): void {
    for (const wake of this.#waiting.splice(0)) wake();
  }
}

/**
 * For a file, the wall-clock time its first frame was shot, as Roboflow takes it: the file's
 * modification time less its duration (a file from a camera is written as it records); else now.
 */
async function wallStartOf(file: string | undefined, probe: VideoProbe, modifiedAt: number | undefined): Promise<number> {
  if (modifiedAt !== undefined) return modifiedAt - (probe.durationSeconds ?? 0) * 1000;
  if (file === undefined) return Date.now();
  const modified = await stat(file).then((s) => s.mtimeMs, () => Date.now());
  return modified - (probe.durationSeconds ?? 0) * 1000;
}
