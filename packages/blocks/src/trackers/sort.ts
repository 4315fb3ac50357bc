/**
 * SORT as Roboflow's `trackers` library runs it (SORTTracker), as functions over JSON state. Per frame:
 * every track's Kalman filter (box corners x1, y1, x2, y2 and their velocities) predicts its box;
 * detections are matched to tracks by the assignment maximising IoU, pairs under
 * minimum_iou_threshold dropped; matched tracks are corrected; unmatched detections with confidence
 * >= track_activation_threshold start tracks. A track is kept while it has missed fewer than
 * maximum_frames_without_update frames and is mature (>= minimum_consecutive_frames hits, the first
 * detection counting as one) or was matched this frame. A detection gets its track's id when the
 * match makes the track mature; a track's first frame never outputs an id.
 * While a track is lost its velocity decays (x 0.95 per missed frame), as the library's default
 * does, so that an occluded object is not extrapolated far away.
 */
import { iou } from "@cvflow/engine";
import { diagonal, kalmanCorrect, kalmanPredict } from "./matrix.js";
import { matchBySimilarity } from "./similarity-match.js";
import { framesWithoutUpdate, type Box, type FrameTracks } from "./tracker-family.js";

export interface SortParams {
  lostTrackBuffer: number;
  trackActivationThreshold: number;
  minimumConsecutiveFrames: number;
  minimumIouThreshold: number;
}

export interface SortTrack {
  /** -1 until mature. */
  id: number;
  hits: number;
  sinceUpdate: number;
  /** x1, y1, x2, y2 and their velocities. */
  mean: number[];
  /** 8 × 8 row-major. */
  covariance: number[];
}

export interface SortState {
  params: SortParams;
  maxFramesWithoutUpdate: number;
  nextId: number;
  tracks: SortTrack[];
}

/** The corner filter's noise (the trackers library's SORT and ByteTrack share it): Q = 0.01 I, R = 0.1 I. */
export const PROCESS_NOISE = diagonal(new Array<number>(8).fill(0.01));
export const MEASUREMENT_NOISE = diagonal(new Array<number>(4).fill(0.1));
const VELOCITY_DECAY = 0.95;

export function newSort(params: SortParams, fps: number): SortState {
  return { params, maxFramesWithoutUpdate: framesWithoutUpdate(params.lostTrackBuffer, fps), nextId: 0, tracks: [] };
}

export function trackBox(track: { mean: readonly number[] }): Box {
  return [track.mean[0]!, track.mean[1]!, track.mean[2]!, track.mean[3]!];
}

export function updateSort(state: SortState, boxes: readonly Box[], confidences: readonly number[]): FrameTracks {
  const { params } = state;
  const ids = boxes.map(() => -1);
  if (state.tracks.length === 0 && boxes.length === 0) return { indices: [], ids: [] };
  for (const t of state.tracks) {
    if (t.sinceUpdate > 0) for (let i = 4; i < 8; i++) t.mean[i]! *= VELOCITY_DECAY;
    ({ mean: t.mean, cov: t.covariance } = kalmanPredict(t.mean, t.covariance, PROCESS_NOISE));
    t.sinceUpdate += 1;
  }
  const similarity = state.tracks.map((t) => boxes.map((b) => iou(trackBox(t), b)));
  const { matches, unmatchedColumns } = matchBySimilarity(similarity, boxes.length, (r, c) => similarity[r]![c]! >= params.minimumIouThreshold);
  const matchedTrack = new Map<number, SortTrack>();
  for (const [r, c] of matches) {
    const t = state.tracks[r]!;
    ({ mean: t.mean, cov: t.covariance } = kalmanCorrect(t.mean, t.covariance, boxes[c]!, MEASUREMENT_NOISE));
    t.sinceUpdate = 0;
    t.hits += 1;
    matchedTrack.set(c, t);
  }
  for (const c of unmatchedColumns) {
    if (confidences[c]! >= params.trackActivationThreshold) state.tracks.push(newTrack(boxes[c]!));
  }
  state.tracks = aliveTracks(state.tracks, state.maxFramesWithoutUpdate, params.minimumConsecutiveFrames);
  for (const [c, t] of matchedTrack) {
    if (t.hits < params.minimumConsecutiveFrames) continue;
    if (t.id === -1) t.id = state.nextId++;
    ids[c] = t.id;
  }
  return { indices: boxes.map((_, i) => i), ids };
}

/** The tracks kept after a frame (the library's get_alive_trackers): not lost for too long, and mature or just matched. */
export function aliveTracks<T extends SortTrack>(tracks: T[], maxFramesWithoutUpdate: number, minimumConsecutiveFrames: number): T[] {
  return tracks.filter((t) => t.sinceUpdate < maxFramesWithoutUpdate && (t.hits >= minimumConsecutiveFrames || t.sinceUpdate === 0));
}

/** A track started by a detection: at its box, still, with unit covariance; the detection counts as its first hit. */
export function newTrack(box: Box): SortTrack {
  return { id: -1, hits: 1, sinceUpdate: 0, mean: [...box, 0, 0, 0, 0], covariance: diagonal(new Array<number>(8).fill(1)) };
}
