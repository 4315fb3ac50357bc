/**
 * A video job's segment cache (`batches/{job}/video-steps/{segment}.jsonl.gz`): for each taken
 * frame of the segment, its pixels' digest and the outputs of the workflow's replayable steps (@cvflow/engine
 * replayableSteps) exactly as the executor held them, encoded losslessly by @cvflow/runs'
 * step-value codec — one JSON line a frame, binary parts in base64, gzipped. The replay restores
 * them through the executor's checkpoints, so the models do not run again.
 */
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { RestoredStep, StepCheckpoints, StepTiming } from "@cvflow/engine";
import { decodeStepOutput, encodeStepOutput, type StepValueJson } from "@cvflow/runs";

interface CachedStep {
  json: StepValueJson;
  parts: string[];
  timing: StepTiming;
}

interface CachedFrame {
  frame: number;
  /** The frame's pixels' digest as the segment decoded them (frameDigest). */
  pixels: string;
  steps: Record<string, CachedStep>;
}

/** What tells two decodings of a frame apart: sha1 of its rgb24 pixels (~1 ms for 768 × 576). */
export function frameDigest(pixels: Uint8Array): string {
  return createHash("sha1").update(pixels).digest("base64");
}

/** Collects one segment's frames as the worker runs them. */
export class SegmentCacheWriter {
  readonly #lines: string[] = [];

  /** Checkpoints for one frame's run of the replayable part: every step it finishes is kept; nothing is restored. */
  frame(frame: number, pixels: string): { checkpoints: StepCheckpoints; done: () => void } {
    const steps: Record<string, CachedStep> = {};
    return {
      checkpoints: {
        restore: () => Promise.resolve(undefined),
        // Awaited by the executor before the step's dependents start: the frame's run ends with every step encoded.
        save: async (step, output, timing) => {
          const { json, parts } = await encodeStepOutput(output);
          steps[step] = { json, parts: parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString("base64")), timing };
        },
      },
      done: () => {
        this.#lines.push(JSON.stringify({ frame, pixels, steps } satisfies CachedFrame));
      },
    };
  }

  get frames(): number {
    return this.#lines.length;
  }

  bytes(): Buffer {
    return gzipSync(this.#lines.map((line) => `${line}\n`).join(""));
  }
}

/** One segment's cache as read back: its frames' cached steps. */
export class SegmentCache {
  private constructor(private readonly frames: ReadonlyMap<number, CachedFrame>) {}

  static parse(bytes: Uint8Array): SegmentCache {
    const lines = gunzipSync(bytes).toString("utf8").split("\n").filter(Boolean);
    return new SegmentCache(new Map(lines.map((line) => JSON.parse(line) as CachedFrame).map((entry) => [entry.frame, entry])));
  }

  has(frame: number): boolean {
    return this.frames.has(frame);
  }

  /**
   * Whether the segment decoded `frame` to these very pixels. A seek that landed elsewhere (a
   * format whose timestamps ffmpeg cannot seek by exactly) would not have: then the replay runs
   * the frame's every step itself — correctness before speed.
   */
  samePixels(frame: number, pixels: string): boolean {
    return this.frames.get(frame)?.pixels === pixels;
  }

  /**
   * Checkpoints for the replay's run of `frame`: a replayable step comes back from the cache (the
   * executor asks only for steps whose dependencies came back: exactly the replayable ones), every
   * other step runs; nothing is saved.
   */
  checkpoints(frame: number, replayable: ReadonlySet<string>): StepCheckpoints {
    const steps = this.frames.get(frame)?.steps;
    return {
      restore: async (step): Promise<RestoredStep | undefined> => {
        if (!replayable.has(step)) return undefined;
        const cached = steps?.[step];
        // Correctness first: a replayable step the cache lacks is an error, not a model run.
        if (!cached) throw new Error(`The segment cache has no output of step "${step}" for frame ${frame}`);
        return { output: await decodeStepOutput(cached.json, cached.parts.map((part) => Buffer.from(part, "base64"))), timing: cached.timing };
      },
      save: () => Promise.resolve(),
    };
  }
}
