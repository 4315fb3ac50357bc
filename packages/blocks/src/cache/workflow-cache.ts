/**
 * The memory Cache Set writes and Cache Get reads: key -> value, one namespace per video
 * (`video_identifier`; a photo is a video of its own).
 *
 * Scope and lifetime: the run's video state store, shared by every cache step of the workflow. A
 * single request's run has its own store, so a value lives as long as that run; a video (a
 * pipeline, `cvflow process-video`, a video job's replay) keeps one store for all its frames, so a
 * value set on one frame is there on the next. This is the lifetime Roboflow's cache has in
 * practice: its blocks drop their namespace when the execution engine holding them goes, which its
 * HTTP server makes per request and its InferencePipeline per stream. Nothing outlives the run, so
 * no request ever sees another's values, and separate Lambda instances (each run is whole on one)
 * have nothing to share. Within a namespace at most CACHE_CAPACITY keys are kept; setting one more
 * forgets the least recently used. Values are kept as given (images, detections: the store's codec
 * carries them when a video's state moves between processes).
 */
import type { BlockContext } from "@cvflow/engine";

export const CACHE_CAPACITY = 1024;
/** The store's slot for the cache: not a step name (they never hold "/"), shared by every cache step. */
const CACHE_SLOT = "roboflow_core/cache";

/** [key, value] pairs, the least recently used first (plain data, so the store's codec can carry it). */
interface CacheState {
  entries: [string, unknown][];
}

function namespace(ctx: BlockContext, videoId: string): CacheState {
  const store = ctx.services.videoState;
  if (!store) throw new Error(`step ${ctx.step}: the run has no video state store`);
  return store.get<CacheState>(CACHE_SLOT, videoId, () => ({ entries: [] }));
}

/** The value under `key`, or false when there is none (Roboflow's default). */
export function cacheGet(ctx: BlockContext, videoId: string, key: string): unknown {
  const state = namespace(ctx, videoId);
  const at = state.entries.findIndex(([k]) => k === key);
  if (at === -1) return false;
  const [entry] = state.entries.splice(at, 1);
  state.entries.push(entry!);
  return entry![1];
}

export function cacheSet(ctx: BlockContext, videoId: string, key: string, value: unknown): void {
  const state = namespace(ctx, videoId);
  const at = state.entries.findIndex(([k]) => k === key);
  if (at !== -1) state.entries.splice(at, 1);
  state.entries.push([key, value]);
  if (state.entries.length > CACHE_CAPACITY) state.entries.shift();
}
