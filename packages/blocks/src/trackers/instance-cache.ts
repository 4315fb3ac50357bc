/**
 * Which tracker ids a video has shown before (Roboflow's InstanceCache): a FIFO of at most `size`
 * ids, as JSON data. Splits tracked detections into new and already-seen instances.
 */
import type { Detections } from "@cvflow/engine";

export interface InstanceCache {
  size: number;
  /** Ids in the order they were first seen, oldest first. */
  ids: number[];
}

export function newInstanceCache(size: number): InstanceCache {
  return { size: Math.max(1, size), ids: [] };
}

/** Records each detection's tracker id; returns the detections seen for the first time and the others. */
export function splitByFirstSight(cache: InstanceCache, tracked: Detections): { fresh: Detections; seen: Detections } {
  const known = new Set(cache.ids);
  const isNew = Array.from({ length: tracked.length }, (_, i) => {
    const id = tracked.trackerId(i)!;
    if (known.has(id)) return false;
    known.add(id);
    cache.ids.push(id);
    return true;
  });
  if (cache.ids.length > cache.size) cache.ids.splice(0, cache.ids.length - cache.size);
  return { fresh: tracked.filter((i) => isNew[i]!), seen: tracked.filter((i) => !isNew[i]!) };
}
