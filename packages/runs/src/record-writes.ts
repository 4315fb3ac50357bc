/**
 * A running run's record writes, coalesced: the steps' progress reaches the record at most once
 * per interval (one read and one conditional write to S3 each), however many steps finish in it,
 * and `flush` writes at once (the final state always). One write is in flight at a time; each
 * applies the newest state to the record as it is then, so fields other writers own (a cancel
 * request, an answer) are kept.
 */
import type { RunRecord } from "./run-record.js";
import type { RunStore } from "./run-store.js";

/** How often a running run's progress reaches its record. */
export const RECORD_WRITE_MS = 500;

export class CoalescedRecordWrites {
  #timer: NodeJS.Timeout | undefined;
  #flight: Promise<RunRecord | undefined> = Promise.resolve(undefined);
  #dirty = false;
  #failure: unknown;
  /** The record as this last wrote it, with its ETag: the next write starts from it without reading. */
  #known: { value: RunRecord; etag: string } | undefined;

  /**
   * `apply` turns the record as stored into the record to write (undefined: leave it). `ready`
   * resolves once the record exists (its creation may overlap the run's start), with its ETag
   * when the caller created it (`created`: the record as created).
   */
  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly apply: (stored: RunRecord) => RunRecord | undefined,
    private readonly ready: Promise<unknown> = Promise.resolve(),
    private readonly intervalMs = RECORD_WRITE_MS,
    private readonly created?: RunRecord,
  ) {}

  /** The state changed: write it within the interval. */
  touch(): void {
    this.#dirty = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      // An intermediate write that fails is not fatal: the next one (the final one at the latest) writes the whole state.
      this.#write().catch((error: unknown) => {
        this.#failure = error;
      });
    }, this.intervalMs);
  }

  /** Writes the current state now (after any write in flight); answers the record as written. */
  async flush(): Promise<RunRecord | undefined> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#write(true);
  }

  /** The last intermediate write's failure, if any (for logs). */
  get failure(): unknown {
    return this.#failure;
  }

  #write(force = false): Promise<RunRecord | undefined> {
    const next = this.#flight.then(
      () => this.#writeNow(force),
      () => this.#writeNow(force),
    );
    this.#flight = next;
    return next;
  }

  async #writeNow(force: boolean): Promise<RunRecord | undefined> {
    const etag = await this.ready;
    if (!force && !this.#dirty) return undefined;
    this.#dirty = false;
    if (this.#known === undefined && this.created && typeof etag === "string") this.#known = { value: this.created, etag };
    const written = await this.store.updateTagged(this.runId, this.apply, this.#known);
    this.#known = written;
    return written?.value;
  }
}
