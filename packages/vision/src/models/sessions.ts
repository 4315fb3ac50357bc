/**
 * ONNX sessions: one per model file and process, created on first use (or ahead of it with
 * `preload`, which also warms the session with one run), kept in a least-recently-used set of
 * bounded size. Concurrent first requests share one creation. An evicted session is released
 * once the runs holding it have finished.
 */
import { access } from "node:fs/promises";
import { traceTransientWait } from "@cvflow/engine";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { modelFileMissing } from "../errors.js";

export interface SessionPoolOptions {
  /** Sessions kept open at most (default 8). */
  maxSessions?: number;
  /** onnxruntime's intra-op thread count; default $CVFLOW_ORT_THREADS, else onnxruntime's choice (one per core). */
  intraOpNumThreads?: number;
  /**
   * Whether a session's idle intra-op threads spin-wait for work; default $CVFLOW_ORT_SPINNING
   * ("1" or "0"), else false. Every session has its own thread pool, and a pool keeps spinning
   * for a while after its run: the next model of a workflow, and sharp's work between them, then
   * share the cores with busy-waiting threads. Measured on 2 vCPUs (medians, bench/vision.ts
   * workflows): detect → crop → classify 135 → 110 ms and OCR 340 → 306 ms without spinning, at
   * 20-35 % less CPU per request; a lone detector run pays 3-4 ms (69.5 → 73 ms) for waking its
   * threads per operator instead.
   */
  spinning?: boolean;
}

/** A session held for some runs; `release()` once they are done. */
export interface SessionLease {
  readonly session: InferenceSession;
  release(): void;
}

interface Entry {
  ready: Promise<InferenceSession>;
  /** Whether `ready` has settled: waiting on one that has not is a transient wait (a retry finds it made). */
  settled: boolean;
  users: number;
  evicted: boolean;
}

const DEFAULT_MAX_SESSIONS = 8;
/** Warm-up size of a dynamic dimension other than the batch (OCR models take any height and width). */
const WARM_UP_DYNAMIC_SIZE = 64;

export class SessionPool {
  /** Map order is recency: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private readonly maxSessions: number;
  private readonly intraOpNumThreads: number | undefined;
  private readonly spinning: boolean;
  /** Sessions created and released so far (for logs and tests). */
  readonly stats = { created: 0, released: 0 };

  constructor(options: SessionPoolOptions = {}) {
    this.maxSessions = Math.max(1, options.maxSessions ?? DEFAULT_MAX_SESSIONS);
    this.intraOpNumThreads = options.intraOpNumThreads ?? threadsFromEnv();
    this.spinning = options.spinning ?? spinningFromEnv();
  }

  /** The options every session here is created with (benchmarks give their own sessions the same). */
  get sessionOptions(): InferenceSession.SessionOptions {
    return {
      ...(this.intraOpNumThreads ? { intraOpNumThreads: this.intraOpNumThreads } : {}),
      ...(this.spinning ? {} : { extra: { session: { intra_op: { allow_spinning: "0" } } } }),
    };
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Creates the session ahead of its first use (at a server's start, say) and warms it with one
   * run on zeros, so that the first request pays neither. A session already there is left as it is.
   */
  async preload(path: string): Promise<void> {
    const entry = this.entry(path, true);
    try {
      await entry.ready;
    } catch (error) {
      if (this.entries.get(path) === entry && entry.users === 0) this.entries.delete(path);
      throw error;
    }
  }

  async lease(path: string): Promise<SessionLease> {
    // Created on demand, a session is not warmed up: a request is waiting for it, and a warm-up
    // run would only delay that request by one more run (its own first run does the lazy set-up).
    const held = this.entry(path, false);
    held.users++;
    let session: InferenceSession;
    try {
      session = held.settled ? await held.ready : await traceTransientWait("model_session", () => held.ready);
    } catch (error) {
      held.users--;
      if (this.entries.get(path) === held) this.entries.delete(path);
      throw error;
    }
    let released = false;
    return {
      session,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        this.releaseIfIdle(held);
      },
    };
  }

  /** The entry of `path`, created if absent, made the most recently used. */
  private entry(path: string, warm: boolean): Entry {
    let entry = this.entries.get(path);
    if (entry) {
      this.entries.delete(path);
    } else {
      const created: Entry = { ready: this.create(path, warm), settled: false, users: 0, evicted: false };
      created.ready.then(
        () => (created.settled = true),
        () => (created.settled = true),
      );
      entry = created;
    }
    this.entries.set(path, entry);
    this.evictOverflow();
    return entry;
  }

  async use<T>(path: string, run: (session: InferenceSession) => Promise<T>): Promise<T> {
    const lease = await this.lease(path);
    try {
      return await run(lease.session);
    } finally {
      lease.release();
    }
  }

  private evictOverflow(): void {
    for (const [path, entry] of this.entries) {
      if (this.entries.size <= this.maxSessions) return;
      this.entries.delete(path);
      entry.evicted = true;
      this.releaseIfIdle(entry);
    }
  }

  private releaseIfIdle(entry: Entry): void {
    if (!entry.evicted || entry.users > 0) return;
    entry.ready.then(
      (session) => {
        this.stats.released++;
        return session.release();
      },
      () => {},
    );
  }

  private async create(path: string, warm: boolean): Promise<InferenceSession> {
    try {
      await access(path);
    } catch {
      throw modelFileMissing(path);
    }
    this.stats.created++;
    const session = await InferenceSession.create(path, this.sessionOptions);
    if (warm) await warmUp(session);
    return session;
  }
}

/** One run on zeros, so that the first real request does not pay for onnxruntime's lazy set-up. */
async function warmUp(session: InferenceSession): Promise<void> {
  const feeds: Record<string, Tensor> = {};
  for (const input of session.inputMetadata) {
    // Only float32 inputs are fed here; a model with other inputs is warmed by its first request.
    if (!input.isTensor || input.type !== "float32") return;
    const shape = input.shape.map((dim, axis) => (typeof dim === "number" && dim > 0 ? dim : axis === 0 ? 1 : WARM_UP_DYNAMIC_SIZE));
    feeds[input.name] = new Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  }
  await session.run(feeds);
}

function threadsFromEnv(): number | undefined {
  const text = process.env["CVFLOW_ORT_THREADS"];
  if (text === undefined || text === "") return undefined;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`CVFLOW_ORT_THREADS must be a positive integer, got "${text}"`);
  return threads;
}

function spinningFromEnv(): boolean {
  const text = process.env["CVFLOW_ORT_SPINNING"];
  if (text === undefined || text === "") return false;
  if (text !== "0" && text !== "1") throw new Error(`CVFLOW_ORT_SPINNING must be "0" or "1", got "${text}"`);
  return text === "1";
}
