/**
 * A video job's replay across Finalize invocations (`batches/{job}/video-replay/`): when an
 * invocation's time runs short, its rows and its part of each mp4 are kept here with
 * `progress.json` — the last frame run, the video state after it (lossless), the counts — and the
 * next invocation goes on from there; the last one joins the parts: the rows end to end, the mp4
 * parts with ffmpeg's concat demuxer (no re-encoding). Progress belongs to one execution: a
 * restart's replay starts over.
 */
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { JsonObjects } from "@cvflow/store";
import { FFMPEG } from "@cvflow/video";
import { batchKeys } from "./layout.js";
import type { EncodedVideoState } from "./output/index.js";

/** One invocation's files, by their names in the folder (and under video-replay/). */
export interface ReplayPart {
  rows: string;
  videos: Record<string, string>;
}

export interface ReplayProgress {
  execution: string | null;
  last_frame: number;
  parts: ReplayPart[];
  video_state: EncodedVideoState;
  frames: number;
  seconds: number;
  restored_steps: number;
  cached_steps_run: number;
  frames_rerun: number;
}

export class ReplayProgressStore {
  readonly #prefix: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    job: string,
  ) {
    this.#prefix = batchKeys.videoReplay(job);
  }

  /** This execution's progress; another's (before a restart) is none. */
  async read(execution: string | null): Promise<ReplayProgress | undefined> {
    const progress = (await new JsonObjects(this.client, this.bucket).read<ReplayProgress>(`${this.#prefix}progress.json`))?.value;
    return progress?.execution === execution ? progress : undefined;
  }

  /** Keeps a part's files, then the progress that names them. */
  async save(folder: string, part: ReplayPart, progress: ReplayProgress): Promise<void> {
    for (const name of [part.rows, ...Object.values(part.videos)]) {
      const path = join(folder, name);
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.#prefix + name, Body: createReadStream(path), ContentLength: (await stat(path)).size }));
    }
    const body = JSON.stringify(progress);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${this.#prefix}progress.json`, Body: body, ContentLength: Buffer.byteLength(body), ContentType: "application/json" }));
  }

  /**
   * The whole replay's files in the folder from the earlier parts (read back) and this last one:
   * `rows` (the rows end to end) and, per image output, its mp4 under `videoName(output)`.
   */
  async join(folder: string, earlier: readonly ReplayPart[], last: ReplayPart, rows: string, videoName: (output: string) => string): Promise<Record<string, string>> {
    for (const part of earlier) {
      for (const name of [part.rows, ...Object.values(part.videos)]) {
        const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.#prefix + name }));
        await writeFile(join(folder, name), await object.Body!.transformToByteArray());
      }
    }
    const parts = [...earlier, last];
    const texts = await Promise.all(parts.map((part) => readFile(join(folder, part.rows))));
    await writeFile(join(folder, `${rows}.joined`), Buffer.concat(texts));
    await rename(join(folder, `${rows}.joined`), join(folder, rows));
    const videos: Record<string, string> = {};
    for (const output of new Set(parts.flatMap((part) => Object.keys(part.videos)))) {
      const files = parts.flatMap((part) => (part.videos[output] ? [join(folder, part.videos[output])] : []));
      const list = join(folder, `${output}.concat.txt`);
      await writeFile(list, files.map((file) => `file '${file.replaceAll("'", "'\\''")}'\n`).join(""));
      videos[output] = videoName(output);
      // Aside, then renamed: the first part may bear the joined file's name.
      const joined = join(folder, `${output}.joined.mp4`);
      await promisify(execFile)(FFMPEG, ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-movflags", "+faststart", joined]);
      await rename(joined, join(folder, videos[output]));
    }
    return videos;
  }

  /** Drops the parts and the progress once the replay's files are written. */
  async clear(): Promise<void> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.#prefix }));
    for (const { Key: key } of listed.Contents ?? []) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key! }));
  }
}
