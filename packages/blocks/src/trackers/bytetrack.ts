/**
 * ByteTrack as supervision's `sv.ByteTrack` runs it (the tracker behind Roboflow's
 * `byte_tracker@v1..v3`), written as functions over plain JSON state so a video job can carry it
 * between invocations. Per frame:
 * 1. detections split by confidence: high (> track_activation_threshold) and low (0.1 .. threshold);
 * 2. confirmed and lost tracks are moved by their Kalman filter (centre, aspect, height, and their
 *    velocities) and matched to the high detections on a cost of 1 - IoU x confidence of at most
 *    minimum_matching_threshold (so, at the default 0.8, IoU x confidence >= 0.2);
 * 3. the confirmed tracks left over are matched to the low detections (IoU >= 0.5); the ones still
 *    left become lost;
 * 4. unconfirmed tracks (seen once) are matched to the high detections left (cost <= 0.7), or dropped;
 * 5. high detections left with confidence >= threshold + 0.1 start tracks;
 * 6. tracks lost for more than lost_track_buffer frames (scaled by fps / 30) are removed.
 * A track gets its tracker id after minimum_consecutive_frames matched frames.
 */
import { iou } from "@cvflow/engine";
import { assign, iouCost } from "./assignment.js";
import { diagonal, kalmanCorrect, kalmanPredict } from "./matrix.js";

export interface ByteTrackParams {
  trackActivationThreshold: number;
  lostTrackBuffer: number;
  minimumMatchingThreshold: number;
  minimumConsecutiveFrames: number;
  frameRate: number;
}

type TrackStatus = "tracked" | "lost" | "removed";

export interface ByteTrackTrack {
  internalId: number;
  /** The tracker id detections get; -1 until the track has been matched minimum_consecutive_frames times. */
  externalId: number;
  status: TrackStatus;
  activated: boolean;
  startFrame: number;
  /** The last frame the track was matched on. */
  frame: number;
  trackletLength: number;
  score: number;
  /** Kalman state: centre x, centre y, aspect (w / h), height, then their velocities. */
  mean: number[];
  /** 8 x 8, row-major. */
  covariance: number[];
}

export interface ByteTrackState {
  params: ByteTrackParams;
  frame: number;
  nextInternalId: number;
  nextExternalId: number;
  tracked: ByteTrackTrack[];
  lost: ByteTrackTrack[];
  /** Internal ids removed on the previous frame (sv.ByteTrack drops them from the lost list one frame late). */
  removed: number[];
}

/** Parameters are fixed when a video's tracker is made, as Roboflow's blocks create it once per video. */
export function newByteTrack(params: ByteTrackParams): ByteTrackState {
  return { params, frame: 0, nextInternalId: 0, nextExternalId: 1, tracked: [], lost: [], removed: [] };
}

const POSITION_WEIGHT = 1 / 20;
const VELOCITY_WEIGHT = 1 / 160;
/** Confidence below which a detection is ignored altogether. */
const LOW_CONFIDENCE_FLOOR = 0.1;
const SECOND_STAGE_MAX_COST = 0.5;
const UNCONFIRMED_MAX_COST = 0.7;
/** Tracks and lost tracks closer than this (1 - IoU) are duplicates; the younger one goes. */
const DUPLICATE_MAX_COST = 0.15;

type Box = [number, number, number, number];

function toXyah([x1, y1, x2, y2]: readonly number[]): number[] {
  const w = x2! - x1!;
  const h = y2! - y1!;
  return [x1! + w / 2, y1! + h / 2, w / h, h];
}

/** The track's box, xyxy, from its Kalman mean. */
export function trackBox(t: ByteTrackTrack): Box {
  const [cx, cy, a, h] = t.mean as [number, number, number, number];
  const w = a * h;
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

function initiate(box: readonly number[]): { mean: number[]; covariance: number[] } {
  const m = toXyah(box);
  const h = m[3]!;
  const p = 2 * POSITION_WEIGHT * h;
  const v = 10 * VELOCITY_WEIGHT * h;
  return { mean: [...m, 0, 0, 0, 0], covariance: diagonal([p, p, 1e-2, p, v, v, 1e-5, v].map((s) => s * s)) };
}

function predict(t: ByteTrackTrack): void {
  const mean = [...t.mean];
  if (t.status !== "tracked") mean[7] = 0;
  const h = mean[3]!;
  const p = POSITION_WEIGHT * h;
  const v = VELOCITY_WEIGHT * h;
  const next = kalmanPredict(mean, t.covariance, diagonal([p, p, 1e-2, p, v, v, 1e-5, v].map((s) => s * s)));
  t.mean = next.mean;
  t.covariance = next.cov;
}

function correct(t: ByteTrackTrack, box: readonly number[]): void {
  const h = t.mean[3]!;
  const p = POSITION_WEIGHT * h;
  const next = kalmanCorrect(t.mean, t.covariance, toXyah(box), diagonal([p, p, 1e-1, p].map((s) => s * s)));
  t.mean = next.mean;
  t.covariance = next.cov;
}

interface Candidate {
  box: Box;
  score: number;
  /** The detection's index in the frame. */
  index: number;
}

/** IoU cost with each detection's confidence folded in (supervision's fuse_score). */
function fusedCost(tracks: readonly ByteTrackTrack[], dets: readonly Candidate[]): number[][] {
  return iouCost(tracks.map(trackBox), dets.map((d) => d.box), iou).map((row) => row.map((c, j) => 1 - (1 - c) * dets[j]!.score));
}

function matchTrack(state: ByteTrackState, t: ByteTrackTrack, det: Candidate): void {
  const min = state.params.minimumConsecutiveFrames;
  if (t.status === "tracked") {
    // A track matched again: its run of matched frames grows, and confirms it at minimum_consecutive_frames.
    t.frame = state.frame;
    t.trackletLength += 1;
    correct(t, det.box);
    if (t.trackletLength === min) {
      t.activated = true;
      if (t.externalId === -1) t.externalId = state.nextExternalId++;
    }
  } else {
    // A lost track found again.
    correct(t, det.box);
    t.trackletLength = 0;
    t.status = "tracked";
    t.frame = state.frame;
  }
  t.score = det.score;
}

function startTrack(state: ByteTrackState, det: Candidate): ByteTrackTrack {
  const { mean, covariance } = initiate(det.box);
  return {
    internalId: state.nextInternalId++,
    externalId: state.params.minimumConsecutiveFrames === 1 ? state.nextExternalId++ : -1,
    status: "tracked",
    // Tracks born on the first frame are confirmed at once; later ones must be matched once more.
    activated: state.frame === 1,
    startFrame: state.frame,
    frame: state.frame,
    trackletLength: 0,
    score: det.score,
    mean,
    covariance,
  };
}

function union(a: readonly ByteTrackTrack[], b: readonly ByteTrackTrack[]): ByteTrackTrack[] {
  const seen = new Set<number>();
  return [...a, ...b].filter((t) => !seen.has(t.internalId) && seen.add(t.internalId));
}

function without(a: readonly ByteTrackTrack[], ids: Iterable<number>): ByteTrackTrack[] {
  const drop = new Set(ids);
  return a.filter((t) => !drop.has(t.internalId));
}

/**
 * Advances the tracker by one frame of `boxes` (xyxy) with `scores`; returns the confirmed tracks
 * after the frame. `state` is updated in place.
 */
export function updateByteTrack(state: ByteTrackState, boxes: readonly Box[], scores: readonly number[]): ByteTrackTrack[] {
  const { trackActivationThreshold: threshold, minimumMatchingThreshold, lostTrackBuffer, frameRate } = state.params;
  state.frame += 1;
  const candidates = boxes.map((box, index) => ({ box, score: scores[index]!, index }));
  const high = candidates.filter((d) => d.score > threshold);
  const low = candidates.filter((d) => d.score > LOW_CONFIDENCE_FLOOR && d.score < threshold);

  const activated: ByteTrackTrack[] = [];
  const refound: ByteTrackTrack[] = [];
  const lost: ByteTrackTrack[] = [];
  const removed: ByteTrackTrack[] = [];
  const unconfirmed = state.tracked.filter((t) => !t.activated);
  const confirmed = state.tracked.filter((t) => t.activated);

  // First association: confirmed and lost tracks, moved by their filters, with the confident detections.
  const pool = union(confirmed, state.lost);
  pool.forEach(predict);
  const first = assign(fusedCost(pool, high), high.length, minimumMatchingThreshold);
  for (const [r, c] of first.matches) {
    const t = pool[r]!;
    (t.status === "tracked" ? activated : refound).push(t);
    matchTrack(state, t, high[c]!);
  }

  // Second association: the confirmed tracks left, with the weak detections.
  const remaining = first.unmatchedRows.map((r) => pool[r]!).filter((t) => t.status === "tracked");
  const second = assign(iouCost(remaining.map(trackBox), low.map((d) => d.box), iou), low.length, SECOND_STAGE_MAX_COST);
  for (const [r, c] of second.matches) {
    const t = remaining[r]!;
    (t.status === "tracked" ? activated : refound).push(t);
    matchTrack(state, t, low[c]!);
  }
  for (const r of second.unmatchedRows) {
    const t = remaining[r]!;
    if (t.status !== "lost") {
      t.status = "lost";
      lost.push(t);
    }
  }

  // Tracks seen on one frame only, with the confident detections nobody took.
  const left = first.unmatchedColumns.map((c) => high[c]!);
  const third = assign(fusedCost(unconfirmed, left), left.length, UNCONFIRMED_MAX_COST);
  for (const [r, c] of third.matches) {
    matchTrack(state, unconfirmed[r]!, left[c]!);
    activated.push(unconfirmed[r]!);
  }
  for (const r of third.unmatchedRows) {
    unconfirmed[r]!.status = "removed";
    removed.push(unconfirmed[r]!);
  }

  // New tracks from the confident detections still unmatched.
  for (const c of third.unmatchedColumns) {
    const det = left[c]!;
    if (det.score >= threshold + 0.1) activated.push(startTrack(state, det));
  }

  const maxTimeLost = Math.trunc((frameRate / 30) * lostTrackBuffer);
  for (const t of state.lost) {
    if (state.frame - t.frame > maxTimeLost) {
      t.status = "removed";
      removed.push(t);
    }
  }

  let tracked = union(union(state.tracked.filter((t) => t.status === "tracked"), activated), refound);
  let stillLost = [...without(state.lost, tracked.map((t) => t.internalId)), ...lost];
  stillLost = without(stillLost, state.removed);
  state.removed = removed.map((t) => t.internalId);
  [tracked, stillLost] = dropDuplicates(tracked, stillLost);
  state.tracked = tracked;
  state.lost = stillLost;
  return tracked.filter((t) => t.activated);
}

/** A tracked and a lost track on the same object: the one followed for fewer frames goes. */
function dropDuplicates(a: ByteTrackTrack[], b: ByteTrackTrack[]): [ByteTrackTrack[], ByteTrackTrack[]] {
  const dropA = new Set<number>();
  const dropB = new Set<number>();
  a.forEach((ta, i) =>
    b.forEach((tb, j) => {
      if (1 - iou(trackBox(ta), trackBox(tb)) >= DUPLICATE_MAX_COST) return;
      if (ta.frame - ta.startFrame > tb.frame - tb.startFrame) dropB.add(j);
      else dropA.add(i);
    }),
  );
  return [a.filter((_, i) => !dropA.has(i)), b.filter((_, j) => !dropB.has(j))];
}

/**
 * Tracker ids for a frame's detections: each detection is paired with the confirmed track whose box
 * overlaps it most (IoU >= 0.5, one to one), as sv.ByteTrack.update_with_detections does; -1 for
 * a detection no confirmed track owns.
 */
export function trackerIdsFor(boxes: readonly Box[], tracks: readonly ByteTrackTrack[]): number[] {
  const ids = new Array<number>(boxes.length).fill(-1);
  const { matches } = assign(iouCost(boxes, tracks.map(trackBox), iou), tracks.length, 0.5);
  for (const [d, t] of matches) ids[d] = tracks[t]!.externalId;
  return ids;
}
