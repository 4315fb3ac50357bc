/**
 * A video job's segment cache (`batches/{job}/video-steps/{segment}.jsonl.gz`): for each taken
 * frame of the segment, the outputs of the workflow's replayable steps (@cvflow/engine
 * replayableSteps) exactly as the executor held them, encoded losslessly by @cvflow/runs'
 * step-value codec — one JSON line a frame, binary parts in base64, gzipped. The replay restores
 * them through the executor's checkpoints, so the models do not run again.
 */
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
  steps: Record<string, CachedStep>;
}

/** Collects one segment's frames as the worker runs them. */
export class SegmentCacheWriter {
  readonly #lines: string[] = [];

  /** Checkpoints for one frame's run of the replayable part: every step it finishes is kept; nothing is restored. */
  frame(frame: number): { checkpoints: StepCheckpoints; done: () => void } {
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
        this.#lines.push(JSON.stringify({ frame, steps } satisfies CachedFrame));
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
  private constructor(private readonly frames: ReadonlyMap<number, Record<string, CachedStep>>) {}

  static parse(bytes: Uint8Array): SegmentCache {
    const lines = gunzipSync(bytes).toString("utf8").split("\n").filter(Boolean);
    return new SegmentCache(new Map(lines.map((line) => JSON.parse(line) as CachedFrame).map((entry) => [entry.frame, entry.steps])));
  }

  has(frame: number): boolean {
    return this.frames.has(frame);
  }

  /**
   * Checkpoints for the replay's run of `frame`: a replayable step comes back from the cache (the
   * executor asks only for steps whose dependencies came back: exactly the replayable ones), every
   * other step runs; nothing is saved.
   */
  checkpoints(frame: number, replayable: ReadonlySet<string>): StepCheckpoints {
    const steps = this.frames.get(frame);
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
