/**
 * The class each track is locked to, decided by votes as Roboflow's Track Class Lock decides it,
 * over plain JSON state (one per step and video). Before a lock, every frame whose confidence
 * reaches `voteConfidence` votes for its class; a class locks once it has `minVotes` votes and
 * leads the next class by `leadMargin` (equal counts rank in the order the classes were first
 * voted for). A locked class changes only after `switchAfter` consecutive qualifying frames of one
 * other class; the new class then counts only that streak's votes. A new tracker id appearing
 * where a locked track was lost (within `reattachWindow` frames, IoU >= `reattachIou` with its
 * last box) takes that track's state over. Tracks unseen for more than `stateTtl` frames are
 * forgotten.
 */
import { iou } from "@cvflow/engine";
import type { Box } from "./tracker-family.js";

export interface ClassLockParams {
  minVotes: number;
  voteConfidence: number;
  leadMargin: number;
  switchAfter: number;
  stateTtl: number;
  reattachWindow: number;
  reattachIou: number;
}

interface Vote {
  className: string;
  count: number;
  confidenceSum: number;
}

interface ClassTrack {
  trackerId: number;
  /** In the order the classes were first voted for: ties go to the earlier one. */
  votes: Vote[];
  /** The class id last seen with each class name, to relabel class_id with the locked class. */
  classIds: [string, number][];
  locked: string | null;
  lastSeen: number;
  challenger: string | null;
  streak: number;
  streakConfidence: number;
  lastBox: Box | null;
}

export interface ClassLockState {
  /** Frames of this video the step has run on. */
  frame: number;
  /** In the order they were made (a re-attached track moves last): the first of equally good re-attachments wins. */
  tracks: ClassTrack[];
}

/** One detection as the lock sees it. */
export interface ClassObservation {
  trackerId: number;
  box: Box;
  className: string;
  classId: number;
  confidence: number;
}

/** What a locked detection is relabelled to. */
export interface LockedLabel {
  className: string;
  /** Undefined when no detection of the locked class has been seen with a class id. */
  classId: number | undefined;
  /** The mean confidence of the locked class's counted votes, at most 1. */
  confidence: number;
}

export function newClassLockState(): ClassLockState {
  return { frame: 0, tracks: [] };
}

/** Starts a frame: the frame count dates what each track last saw. */
export function beginFrame(state: ClassLockState): void {
  state.frame += 1;
}

/** Takes one detection into its track's votes; its label when the track is locked, else null. */
export function observe(state: ClassLockState, seen: ClassObservation, active: ReadonlySet<number>, p: ClassLockParams): LockedLabel | null {
  let track = state.tracks.find((t) => t.trackerId === seen.trackerId);
  if (!track) {
    const lost = reattachable(state, seen.box, active, p);
    if (lost) state.tracks.splice(state.tracks.indexOf(lost), 1);
    track = lost ?? newTrack(seen.trackerId, state.frame);
    track.trackerId = seen.trackerId;
    state.tracks.push(track);
  }
  track.lastSeen = state.frame;
  track.lastBox = [...seen.box];
  const qualifying = seen.confidence >= p.voteConfidence;
  if (track.locked === null) vote(track, seen, qualifying, p);
  else challenge(track, seen, qualifying, p);
  if (track.locked === null) return null;
  const locked = track.locked;
  const tally = track.votes.find((v) => v.className === locked);
  return {
    className: locked,
    classId: track.classIds.find(([name]) => name === locked)?.[1],
    confidence: Math.min(1, (tally?.confidenceSum ?? 0) / Math.max(tally?.count ?? 0, 1)),
  };
}

/** Ends a frame: forgets the tracks unseen for more than `stateTtl` frames. */
export function endFrame(state: ClassLockState, stateTtl: number): void {
  state.tracks = state.tracks.filter((t) => state.frame - t.lastSeen <= stateTtl);
}

function newTrack(trackerId: number, frame: number): ClassTrack {
  return { trackerId, votes: [], classIds: [], locked: null, lastSeen: frame, challenger: null, streak: 0, streakConfidence: 0, lastBox: null };
}

function rememberClassId(track: ClassTrack, seen: ClassObservation): void {
  const known = track.classIds.find(([name]) => name === seen.className);
  if (known) known[1] = seen.classId;
  else track.classIds.push([seen.className, seen.classId]);
}

function vote(track: ClassTrack, seen: ClassObservation, qualifying: boolean, p: ClassLockParams): void {
  if (qualifying) {
    let tally = track.votes.find((v) => v.className === seen.className);
    if (!tally) track.votes.push((tally = { className: seen.className, count: 0, confidenceSum: 0 }));
    tally.count += 1;
    tally.confidenceSum += seen.confidence;
    rememberClassId(track, seen);
  }
  if (track.votes.length === 0) return;
  // The first class with the most votes leads; the runner-up is the best of the others.
  const top = track.votes.reduce((best, v) => (v.count > best.count ? v : best));
  const runnerUp = Math.max(0, ...track.votes.filter((v) => v !== top).map((v) => v.count));
  if (top.count >= p.minVotes && top.count - runnerUp >= p.leadMargin) track.locked = top.className;
}

function challenge(track: ClassTrack, seen: ClassObservation, qualifying: boolean, p: ClassLockParams): void {
  if (!qualifying || seen.className === track.locked) {
    Object.assign(track, { challenger: null, streak: 0, streakConfidence: 0 });
    return;
  }
  if (seen.className === track.challenger) {
    track.streak += 1;
    track.streakConfidence += seen.confidence;
  } else {
    Object.assign(track, { challenger: seen.className, streak: 1, streakConfidence: seen.confidence });
    rememberClassId(track, seen);
  }
  if (track.streak < p.switchAfter) return;
  // The new class's tallies are the streak's alone, so its mean confidence stays at most 1.
  track.locked = track.challenger;
  track.votes = [{ className: track.challenger!, count: track.streak, confidenceSum: track.streakConfidence }];
  Object.assign(track, { challenger: null, streak: 0, streakConfidence: 0 });
}

/** The locked track lost 1..reattachWindow frames ago whose last box overlaps `box` most (IoU >= reattachIou). */
function reattachable(state: ClassLockState, box: Box, active: ReadonlySet<number>, p: ClassLockParams): ClassTrack | undefined {
  let best: ClassTrack | undefined;
  let bestIou = 0;
  for (const track of state.tracks) {
    if (active.has(track.trackerId) || track.locked === null || track.lastBox === null) continue;
    const gap = state.frame - track.lastSeen;
    if (gap < 1 || gap > p.reattachWindow) continue;
    const overlap = iou(box, track.lastBox);
    if (overlap >= p.reattachIou && overlap > bestIou) [best, bestIou] = [track, overlap];
  }
  return best;
}
