/**
 * An mp4 made from rgb24 frames piped into ffmpeg's stdin: H.264 (libx264) when this ffmpeg has
 * it (Debian's does), else MPEG-4 part 2 (ffmpeg's own encoder, in every build). yuv420p, which
 * every player reads, needs even sides: an odd one is padded by a pixel.
 */
import { once } from "node:events";
import { FFMPEG, hasEncoder, lastError, startProcess, type RunningProcess } from "./ffmpeg.js";
import { videoWriteFailed } from "./errors.js";

export interface Mp4WriterOptions {
  width: number;
  height: number;
  fps: number;
  /** Overrides the choice of libx264 (else mpeg4). */
  codec?: "libx264" | "mpeg4";
}

export class Mp4Writer {
  readonly path: string;
  readonly codec: string;
  readonly #process: RunningProcess;
  readonly #frameBytes: number;
  #frames = 0;

  private constructor(path: string, codec: string, proc: RunningProcess, frameBytes: number) {
    this.path = path;
    this.codec = codec;
    this.#process = proc;
    this.#frameBytes = frameBytes;
    // A failed ffmpeg closes its stdin: the error is reported by write() or close(), not thrown here.
    proc.child.stdin!.on("error", () => undefined);
  }

  static async open(path: string, options: Mp4WriterOptions): Promise<Mp4Writer> {
    const codec = options.codec ?? ((await hasEncoder("libx264")) ? "libx264" : "mpeg4");
    const quality = codec === "libx264" ? ["-preset", "veryfast", "-crf", "23"] : ["-q:v", "4"];
    const args = [
      "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
      "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", `${options.width}x${options.height}`, "-r", String(options.fps),
      "-i", "pipe:0",
      "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
      "-c:v", codec, ...quality, "-pix_fmt", "yuv420p",
      // The index at the front: the file plays while it downloads.
      "-movflags", "+faststart",
      path,
    ];
    const proc = await startProcess(FFMPEG, args, "pipe");
    return new Mp4Writer(path, codec, proc, options.width * options.height * 3);
  }

  /** Frames written so far. */
  get frames(): number {
    return this.#frames;
  }

  /** Writes one rgb24 frame of the writer's size; waits while ffmpeg is behind. */
  async write(rgb: Uint8Array): Promise<void> {
    if (rgb.length !== this.#frameBytes) throw new Error(`a frame must be ${this.#frameBytes} bytes of rgb24; got ${rgb.length}`);
    const stdin = this.#process.child.stdin!;
    if (stdin.destroyed || this.#process.child.exitCode !== null) throw videoWriteFailed(this.path, lastError(this.#process.stderrTail()));
    this.#frames++;
    if (!stdin.write(rgb)) await Promise.race([once(stdin, "drain"), this.#process.exited]);
  }

  /** Ends the stream and waits for ffmpeg to finish the file. */
  async close(): Promise<void> {
    this.#process.child.stdin!.end();
    const code = await this.#process.exited;
    if (code !== 0) throw videoWriteFailed(this.path, lastError(this.#process.stderrTail()));
  }

  /** Gives up: ffmpeg killed, the file left unfinished. */
  async abort(): Promise<void> {
    await this.#process.stop();
  }
}
