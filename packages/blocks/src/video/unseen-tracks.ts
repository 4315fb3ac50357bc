/**
 * When a block that keeps something per tracker id may forget an id, so that a stream that runs for
 * days keeps bounded state while tracker ids only grow.
 *
 * The rule: an id unseen for more than FORGET_AFTER_FRAMES of the step's frames (its runs for the
 * video) is forgotten, looked for every SWEEP_EVERY frames. It cannot change a result while the
 * id could still come back: a tracker gives up a lost track long before (byte_tracker's default
 * lost_track_buffer is 30 frames at 30 fps, 60 at 60 fps; the trackers family's the same), drops
 * it, and never hands its id out again. Only a tracker configured to keep lost tracks for more
 * than FORGET_AFTER_FRAMES frames could bring an id back after it was forgotten; it then counts as
 * a new object. Counting the step's own runs (not frame numbers) errs on the safe side when the
 * step runs on fewer frames than its tracker (behind a flow-control step, or after max_fps).
 */

export const FORGET_AFTER_FRAMES = 3000;
const SWEEP_EVERY = 300;

export interface UnseenTracks {
  /** Frames of the video the step has run on. */
  frame: number;
  /** Per tracker id, the frame it was last seen in. */
  lastSeen: Record<string, number>;
}

export function newUnseenTracks(): UnseenTracks {
  return { frame: 0, lastSeen: {} };
}

/**
 * Counts one more frame, in which `ids` were seen (null: a detection no tracker followed), and
 * returns the ids to forget now. Call it before using the per-id state for the frame.
 */
export function forgetUnseen(tracks: UnseenTracks, ids: Iterable<number | null>): string[] {
  tracks.frame += 1;
  for (const id of ids) if (id !== null) tracks.lastSeen[String(id)] = tracks.frame;
  if (tracks.frame % SWEEP_EVERY !== 0) return [];
  const stale = Object.keys(tracks.lastSeen).filter((id) => tracks.frame - tracks.lastSeen[id]! > FORGET_AFTER_FRAMES);
  for (const id of stale) delete tracks.lastSeen[id];
  return stale;
}
