/**
 * A full garbage collection once the local server has sat idle after work that grew its memory.
 *
 * V8 collects only while JavaScript allocates. A server that goes idle after a heavy request keeps
 * that request's garbage: the young generation it grew (up to 128 MB), large strings, and every
 * Buffer whose native memory only a collection frees (pixels of crops, encoded images). V8's
 * memory reducer is meant to collect once allocation stops, but in Node it never starts: it also
 * waits for a low allocation rate on the embedder's heap, where Node allocates nothing, and V8
 * reads a rate of 0 as "not low" (--trace-memory-reducer --trace-mutator-utilization, idle: young
 * and old generation mutator utilization 1.000, embedder 0.000, "high alloc" every 8 s for
 * minutes). Nothing is retained: a forced collection brings the idle server back to its baseline
 * (514 -> 339 MB against 330), so no cache (sharp's, onnxruntime's arenas) holds the difference.
 * Measured (`npm run bench -- memory`, 60 s after three runs of 158 classified crops of a 6300x6300
 * JPEG, jemalloc): without a collection the server stayed at 1.5-1.6x its idle baseline, and at
 * 3.4x (1,134 MB, 518 MB of Buffers) in a run whose last collection before going idle happened to
 * be a young-generation one; with this collection 5 s after the last
 * request, 0.86-0.88x (287-294 MB against 333: the baseline itself held garbage).
 * V8's `--optimize-for-size` also lets the memory reducer run (1.22x) but made every request 16-18 %
 * slower (one-step detection, a 12-megapixel drawing, 60 classified crops; A/B against a default
 * server). Nothing short of a collection asked for by the server does it, hence gc() here.
 *
 * Local stack only: a Lambda is frozen between invocations, so an idle timer there would fire in
 * the next request; and its next request's allocations trigger V8's collections as usual.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** How long the server must be idle (no request in flight) before it collects. */
export const IDLE_COLLECTION_DELAY_MS = 5000;
/**
 * Growth of the JS heap and external memory since the last collection below which the server does
 * not collect: a small request's garbage is left to V8 (a full collection costs 20-50 ms of CPU).
 */
export const IDLE_COLLECTION_MIN_GROWTH_BYTES = 32 * 1024 * 1024;

export interface IdleCollectionOptions {
  /** Runs a full collection; default V8's gc(), taken without exposing it to the process (collectGarbage). */
  collect?: () => void;
  /** Bytes a collection may give back (default the JS heap's committed size plus external memory). */
  collectable?: () => number;
  delayMs?: number;
  minGrowthBytes?: number;
}

export class IdleCollection {
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly collect: () => void;
  private readonly collectable: () => number;
  private readonly delayMs: number;
  private readonly minGrowthBytes: number;
  /** What `collectable()` read after the last collection (at the start, before any request). */
  private afterLastCollection: number;
  /** Collections run so far (for tests and logs). */
  collections = 0;

  constructor(options: IdleCollectionOptions = {}) {
    this.collect = options.collect ?? collectGarbage();
    this.collectable = options.collectable ?? heapAndExternalBytes;
    this.delayMs = options.delayMs ?? IDLE_COLLECTION_DELAY_MS;
    this.minGrowthBytes = options.minGrowthBytes ?? IDLE_COLLECTION_MIN_GROWTH_BYTES;
    this.afterLastCollection = this.collectable();
  }

  /** A request has started: no collection until every request has ended and the delay has passed. */
  started(): void {
    this.inFlight++;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  ended(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    clearTimeout(this.timer);
    // unref: a pending collection does not keep a stopping process alive.
    this.timer = setTimeout(() => this.collectIfGrown(), this.delayMs).unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private collectIfGrown(): void {
    this.timer = undefined;
    if (this.collectable() - this.afterLastCollection < this.minGrowthBytes) return;
    this.collect();
    this.collections++;
    this.afterLastCollection = this.collectable();
  }
}

function heapAndExternalBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapTotal + usage.external;
}

/**
 * V8's gc() without `--expose-gc` on the command line (which every way of starting the stack would
 * have to pass, and which puts gc() in reach of every module): the flag is on only while one new
 * context is made, whose gc this returns.
 */
export function collectGarbage(): () => void {
  setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as () => void;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}
