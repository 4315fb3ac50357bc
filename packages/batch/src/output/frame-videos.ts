/**
 * The mp4 of each image output of a video's workflow (`source_0_output_{name}_preview{suffix}.mp4`
 * in a folder), opened at the first frame that has the image (its size is the image's), fed each
 * frame's image as rgb24 — for `cvflow process-video` and a video job's replay alike.
 */
import { join } from "node:path";
import { Mp4Writer } from "@cvflow/video";
import { WorkflowImage, type RawPixels } from "@cvflow/vision";

export class FrameVideos {
  readonly #writers = new Map<string, Promise<Mp4Writer>>();
  /** Per image output, its file name in the folder. */
  readonly files: Record<string, string> = {};

  constructor(
    private readonly folder: string,
    private readonly names: readonly string[],
    private readonly fps: number,
    private readonly suffix = "",
  ) {}

  /** Appends the frame's image of every image output that has one. */
  async write(outputs: Record<string, unknown>): Promise<void> {
    for (const name of this.names) {
      const image = outputs[name];
      if (!(image instanceof WorkflowImage)) continue;
      const pixels = await image.load();
      await (await this.#writerFor(name, pixels)).write(rgb(pixels));
    }
  }

  /** Finishes every file. */
  async close(): Promise<void> {
    await Promise.all([...this.#writers.values()].map(async (writer) => (await writer).close()));
  }

  /** Gives up: the files are left unfinished. */
  async abort(): Promise<void> {
    await Promise.all([...this.#writers.values()].map(async (writer) => (await writer).abort()));
  }

  #writerFor(name: string, pixels: RawPixels): Promise<Mp4Writer> {
    let writer = this.#writers.get(name);
    if (!writer) {
      const file = `source_0_output_${name}_preview${this.suffix}.mp4`;
      this.files[name] = file;
      writer = Mp4Writer.open(join(this.folder, file), { width: pixels.width, height: pixels.height, fps: this.fps });
      this.#writers.set(name, writer);
    }
    return writer;
  }
}

/** rgb24 for the mp4 writer: a grey image's one channel three times. */
function rgb(pixels: RawPixels): Uint8Array {
  if (pixels.channels === 3) return pixels.data;
  const out = new Uint8Array(pixels.width * pixels.height * 3);
  for (let i = 0; i < pixels.data.length; i++) out.fill(pixels.data[i]!, i * 3, i * 3 + 3);
  return out;
}
