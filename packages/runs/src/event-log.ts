/**
 * The runs' append-only event logs in S3, one object per event (layout.ts). A writer claims each
 * sequence number with If-None-Match, so two writers of one run (the worker's steps, the API's
 * `input_received`) never take the same number, and writes one event at a time, so a number is
 * never visible before the ones under it: a reader that saw n has seen 1..n, and resumes after n.
 *
 * Readers follow a log by listing after the last key they read; a writer in the same process
 * wakes them at once (locally, the whole stack is one process), others poll. An event never
 * changes once written, so the process keeps the latest ones it wrote or read: readers of one run
 * (ten followers of a stream, a reader beside the writer) list, but fetch each event once.
 */
import { EventEmitter } from "node:events";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { LruCache } from "@cvflow/engine";
import { ConditionFailed, JsonObjects } from "@cvflow/store";
import { runKeys, sequenceOfKey } from "./layout.js";
import { isFinalEvent, type RunEvent, type RunEventData } from "./run-events.js";

/** How often a follower lists again when no writer in this process told it of new events. */
const DEFAULT_POLL_MS = 250;
const CLAIM_RETRIES = 16;

export interface EventLogOptions {
  pollMs?: number;
  /**
   * Where this log's writes wake its followers; default the process's own (PROCESS_WAKE), so that
   * logs of one bucket made apart (locally the API's and the durable handler's, in one process)
   * wake each other's followers. A test gives its own to play another process.
   */
  wake?: EventEmitter;
}

/** The events this process wrote or read last, by `${bucket}/${key}` (a few hundred bytes each). */
const PROCESS_EVENTS = new LruCache<string, RunEvent>(20_000);

/** Every EventLog's writes in this process, by `${bucket}/${runId}`. */
const PROCESS_WAKE = new EventEmitter().setMaxListeners(0);

export interface FollowOptions {
  signal?: AbortSignal;
  /** Keep following after the run's final event (a retry appends a new attempt's events). Default false. */
  pastFinal?: boolean;
}

export class EventLog {
  readonly #objects: JsonObjects;
  readonly #wake: EventEmitter;
  readonly #pollMs: number;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    options: EventLogOptions = {},
  ) {
    this.#objects = new JsonObjects(client, bucket);
    this.#wake = options.wake ?? PROCESS_WAKE;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  /** A writer of one run's log; `lastSequence` is the last number it knows is taken (0 for a new run). */
  writer(runId: string, lastSequence = 0): EventWriter {
    return new EventWriter(this, runId, lastSequence);
  }

  /** Events of the run after `afterSequence`, in order (at most `limit`). */
  async read(runId: string, afterSequence = 0, limit = 1000): Promise<RunEvent[]> {
    const keys = await this.#keysAfter(runId, afterSequence, limit);
    const known = new Map<string, RunEvent>();
    for (const key of keys) {
      const event = PROCESS_EVENTS.get(this.#cacheKey(key));
      if (event) known.set(key, event);
    }
    const fetched = await this.#objects.readAll<RunEvent>(keys.filter((key) => !known.has(key)));
    for (const event of fetched) {
      const key = runKeys.event(event.runId, event.sequence);
      known.set(key, event);
      PROCESS_EVENTS.set(this.#cacheKey(key), event);
    }
    return keys.map((key) => known.get(key)).filter((event): event is RunEvent => event !== undefined);
  }

  /** The highest sequence number the log holds (0 when empty). */
  async lastSequence(runId: string, after = 0): Promise<number> {
    let last = after;
    for (;;) {
      const keys = await this.#keysAfter(runId, last, 1000);
      if (keys.length === 0) return last;
      last = sequenceOfKey(keys.at(-1)!)!;
    }
  }

  /**
   * Every event after `afterSequence` as it is appended, until the run's final event (included)
   * or the signal fires.
   */
  async *follow(runId: string, afterSequence: number, options: FollowOptions = {}): AsyncGenerator<RunEvent> {
    let after = afterSequence;
    const { signal } = options;
    while (!signal?.aborted) {
      const events = await this.read(runId, after);
      for (const event of events) {
        after = event.sequence;
        yield event;
        if (isFinalEvent(event) && !options.pastFinal) return;
      }
      if (events.length === 0) await this.#nextWrite(runId, signal);
    }
  }

  /** Appends at `sequence`; false when another writer took that number first. */
  async claim(event: RunEvent): Promise<boolean> {
    try {
      await this.#objects.write(runKeys.event(event.runId, event.sequence), event, { ifNoneMatch: "*" });
    } catch (error) {
      if (error instanceof ConditionFailed) return false;
      throw error;
    }
    PROCESS_EVENTS.set(this.#cacheKey(runKeys.event(event.runId, event.sequence)), event);
    this.#wake.emit(this.#wakeKey(event.runId));
    return true;
  }

  #cacheKey(key: string): string {
    return `${this.bucket}/${key}`;
  }

  async #keysAfter(runId: string, afterSequence: number, limit: number): Promise<string[]> {
    const page = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: runKeys.events(runId),
        StartAfter: afterSequence > 0 ? runKeys.event(runId, afterSequence) : undefined,
        MaxKeys: limit,
      }),
    );
    return (page.Contents ?? []).map((o) => o.Key!).filter((key) => sequenceOfKey(key) !== undefined);
  }

  #wakeKey(runId: string): string {
    return `${this.bucket}/${runId}`;
  }

  /** Resolves at this process's next write to the run's log, at the poll interval, or when the signal fires. */
  #nextWrite(runId: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const key = this.#wakeKey(runId);
      const done = (): void => {
        clearTimeout(timer);
        this.#wake.off(key, done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, this.#pollMs);
      this.#wake.once(key, done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * Appends events to one run's log, one write at a time and in the order `append` was called.
 * `append` returns at once with the event's number; `flush` waits until all are written.
 */
export class EventWriter {
  #last: number;
  #queue: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    private readonly log: EventLog,
    readonly runId: string,
    lastSequence: number,
  ) {
    this.#last = lastSequence;
  }

  /** The number of the last event this writer appended (or knew of). */
  get lastSequence(): number {
    return this.#last;
  }

  append(data: RunEventData): Promise<RunEvent> {
    const written = this.#queue.then(() => this.#write(data));
    this.#queue = written.then(
      () => undefined,
      (error: unknown) => {
        this.#failure ??= error;
      },
    );
    return written;
  }

  /** Waits for every append so far; throws the first write that failed. */
  async flush(): Promise<void> {
    await this.#queue;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #write(data: RunEventData): Promise<RunEvent> {
    for (let attempt = 0; attempt < CLAIM_RETRIES; attempt++) {
      const event = { ...data, runId: this.runId, sequence: this.#last + 1, at: new Date().toISOString() } as RunEvent;
      if (await this.log.claim(event)) {
        this.#last = event.sequence;
        return event;
      }
      this.#last = await this.log.lastSequence(this.runId, this.#last);
    }
    throw new Error(`could not append to the event log of run ${this.runId}: ${CLAIM_RETRIES} sequence numbers were taken by other writers`);
  }
}
