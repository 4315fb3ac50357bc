/**
 * Faults on purpose, for the tests that prove retries recover everything: the worker fails some
 * first attempts halfway through their batch, and stalls one past its deadline; Finalize cuts a
 * video job's replay short, as if its time were up. Off unless the worker or Finalize is given an
 * injector (functions/batch/*.ts make one only from CVFLOW_BATCH_FAULTS).
 */
import { TransientError } from "./transient-error.js";

export interface FaultSpec {
  /** A regular expression: only jobs whose id matches are touched. */
  jobs?: string;
  /** Every n-th first attempt of a batch fails after its first image (10: 10 % of them). */
  fail_every?: number;
  /** The first attempt of this batch (0-based, in the order first attempts arrive) outlives its deadline. */
  stall_batch?: number;
  /** A video job's replay stops after this many frames each Finalize invocation, as if its time were up. */
  replay_frames?: number;
}

export interface BatchFaults {
  /** Called after each image is written; may throw. */
  afterImage(): void;
}

const NONE: BatchFaults = { afterImage: () => undefined };

export class FaultInjector {
  readonly #spec: FaultSpec;
  readonly #jobs: RegExp | undefined;
  readonly #seen = new Set<string>();
  #firstAttempts = 0;

  constructor(spec: FaultSpec) {
    this.#spec = spec;
    this.#jobs = spec.jobs === undefined ? undefined : new RegExp(spec.jobs);
  }

  /** From the JSON of CVFLOW_BATCH_FAULTS; undefined when it is not set. */
  static fromJson(text: string | undefined): FaultInjector | undefined {
    return text ? new FaultInjector(JSON.parse(text) as FaultSpec) : undefined;
  }

  /** How many frames a Finalize invocation may replay of this job; undefined: as many as its time holds. */
  replayFrames(job: string): number | undefined {
    return this.#jobs && !this.#jobs.test(job) ? undefined : this.#spec.replay_frames;
  }

  /** Whatever this batch's attempt is in for; a stall happens here, before any image. */
  async forBatch(job: string, firstImage: string, remainingMs: () => number): Promise<BatchFaults> {
    if (this.#jobs && !this.#jobs.test(job)) return NONE;
    const key = `${job}\n${firstImage}`;
    if (this.#seen.has(key)) return NONE; // a retry: let it through
    this.#seen.add(key);
    const attempt = this.#firstAttempts++;
    if (attempt === this.#spec.stall_batch) {
      await new Promise((resolve) => setTimeout(resolve, remainingMs() + 250));
      return NONE;
    }
    const every = this.#spec.fail_every;
    if (every === undefined || attempt % every !== 0) return NONE;
    let written = 0;
    return {
      afterImage() {
        if (++written === 1) throw new TransientError(`Injected fault: attempt ${attempt} of job ${job} fails after its first image`);
      },
    };
  }
}
