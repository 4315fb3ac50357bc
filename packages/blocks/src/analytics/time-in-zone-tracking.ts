/**
 * How long each tracked object has been in a zone, as Roboflow's time_in_zone blocks measure it:
 * from the frame time a track was first seen inside (kept per tracker id, per step and video) to
 * the current frame's time. Leaving the zone forgets the entry time when
 * `reset_out_of_zone_detections` is set, and always when out-of-zone detections are kept in the
 * output (`remove_out_of_zone_detections` false), as theirs does. Theirs keeps the entry time of a
 * track that vanished inside the zone forever; here an id unseen for FORGET_AFTER_FRAMES frames is
 * forgotten (unseen-tracks.ts: its tracker has dropped it long before), so a stream's state stays
 * bounded.
 */
import type { Detections } from "@cvflow/engine";
import { forgetUnseen, newUnseenTracks, type UnseenTracks } from "../video/unseen-tracks.js";

/** The data column that holds each detection's seconds in the zone (Roboflow's TIME_IN_ZONE key). */
export const TIME_IN_ZONE_KEY = "time_in_zone";

export interface ZoneTimingOptions {
  removeOutOfZone: boolean;
  resetOutOfZone: boolean;
}

/** Per tracker id, the frame time (seconds) it entered the zone. */
export type EntryTimes = Record<string, number>;

/** A step's timing of one video: entry times, and when each tracker id was last seen. */
export interface ZoneTimes {
  entries: EntryTimes;
  unseen: UnseenTracks;
}

export function newZoneTimes(): ZoneTimes {
  return { entries: {}, unseen: newUnseenTracks() };
}

export function timeInZone(
  { entries, unseen }: ZoneTimes,
  detections: Detections,
  ids: readonly (number | null)[],
  inside: readonly boolean[],
  now: number,
  { removeOutOfZone, resetOutOfZone }: ZoneTimingOptions,
): Detections {
  const kept: number[] = [];
  const seconds: number[] = [];
  for (const id of forgetUnseen(unseen, ids)) delete entries[id];
  for (let i = 0; i < detections.length; i++) {
    const id = ids[i];
    const key = String(id);
    if (!inside[i]) {
      if (resetOutOfZone || !removeOutOfZone) delete entries[key];
      if (removeOutOfZone) continue;
      kept.push(i);
      seconds.push(0);
      continue;
    }
    kept.push(i);
    // A detection no tracker followed has no past: it is in the zone since now.
    if (id === null || id === undefined) {
      seconds.push(0);
      continue;
    }
    entries[key] ??= now;
    seconds.push(now - entries[key]);
  }
  return detections.select(kept).withData(TIME_IN_ZONE_KEY, seconds);
}
