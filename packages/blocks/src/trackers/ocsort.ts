/**
 * OC-SORT as Roboflow's `trackers` library runs it (OCSORTTracker), as functions over JSON state.
 * Detections under high_conf_det_threshold are ignored. Per frame:
 * 1. every track's Kalman filter (centre, scale = area, aspect, and the velocities of the first
 *    three) predicts its box;
 * 2. detections are matched to tracks maximising IoU plus direction_consistency_weight × the
 *    direction consistency (observation-centric momentum: how well the direction from the track's
 *    observation delta_t frames back to the detection agrees with the track's own recent direction,
 *    weighted by the detection's confidence); pairs under minimum_iou_threshold are dropped;
 * 3. observation-centric recovery: tracks left over are matched to the detections left over by the
 *    IoU of the track's last observation (not its prediction), which finds an object that stopped
 *    or turned while the filter carried its box away;
 * 4. a track seen again after missing frames is re-updated along a straight line from its last
 *    observation to the new one (observation-centric re-update), so its velocity comes from what
 *    was observed rather than from the drift while it was lost;
 * 5. tracks unmatched for more than maximum_frames_without_update frames are dropped; detections
 *    left over start tracks.
 * A track gets an id once matched minimum_consecutive_frames frames in a row; in the first
 * minimum_consecutive_frames frames of a video any matched track gets one at once.
 */
import { iou } from "@cvflow/engine";
import { kalmanMeasure, kalmanStep, type MotionModel } from "./kalman.js";
import { diagonal } from "./matrix.js";
import { matchBySimilarity } from "./similarity-match.js";
import { framesWithoutUpdate, type Box, type FrameTracks } from "./tracker-family.js";

export interface OcSortParams {
  lostTrackBuffer: number;
  minimumConsecutiveFrames: number;
  minimumIouThreshold: number;
  highConfDetThreshold: number;
  directionConsistencyWeight: number;
  deltaT: number;
}

export interface OcSortTrack {
  /** -1 until it has an id. */
  id: number;
  /** Frames since the track started (predictions made). */
  age: number;
  consecutive: number;
  sinceUpdate: number;
  /** centre x, centre y, scale (area), aspect (w / h), and the velocities of the first three. */
  x: number[];
  /** 7 × 7 row-major. */
  P: number[];
  lastObservation: Box;
  /** Recent observations with the age they were made at (only the last delta_t ages matter). */
  observations: { age: number; box: Box }[];
  /** Unit direction [dy, dx] of recent motion; null until the track was matched twice. */
  velocity: [number, number] | null;
  /** The filter as it was on the first missed frame, to re-update from when the track is seen again. */
  frozen: { x: number[]; P: number[] } | null;
}

export interface OcSortState {
  params: OcSortParams;
  maxFramesWithoutUpdate: number;
  nextId: number;
  frameCount: number;
  tracks: OcSortTrack[];
}

const MODEL: MotionModel = { n: 7, m: 4, velocityOf: [0, 1, 2] };
// The OC-SORT paper's noise: scale and aspect measured less surely; velocities barely diffuse.
const MEASUREMENT_NOISE = diagonal([1, 1, 10, 10]);
const PROCESS_NOISE = diagonal([1, 1, 1, 1, 0.01, 0.01, 0.0001]);
const INITIAL_COVARIANCE = diagonal([10, 10, 10, 10, 10000, 10000, 10000]);

export function newOcSort(params: OcSortParams, fps: number): OcSortState {
  return { params, maxFramesWithoutUpdate: framesWithoutUpdate(params.lostTrackBuffer, fps), nextId: 0, frameCount: 0, tracks: [] };
}

function toXysr([x1, y1, x2, y2]: readonly number[]): number[] {
  const w = x2! - x1!;
  const h = y2! - y1!;
  return [x1! + w / 2, y1! + h / 2, w * h, w / (h + 1e-6)];
}

export function ocTrackBox(t: OcSortTrack): Box {
  const [x, y, s, r] = t.x as [number, number, number, number];
  const w = Math.sqrt(Math.max(0, s * r));
  const h = w > 0 ? s / w : 0;
  return [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
}

function centre(b: readonly number[]): [number, number] {
  return [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2];
}

/** The unit direction [dy, dx] from box a's centre to box b's. */
function direction(a: readonly number[], b: readonly number[]): [number, number] {
  const [ax, ay] = centre(a);
  const [bx, by] = centre(b);
  const norm = Math.hypot(bx - ax, by - ay) + 1e-6;
  return [(by - ay) / norm, (bx - ax) / norm];
}

/** The observation delta_t frames back (or the closest after it), else the latest one. */
function previousObservation(t: OcSortTrack, deltaT: number): Box | null {
  if (t.observations.length === 0) return null;
  for (let dt = deltaT; dt >= 1; dt--) {
    const found = t.observations.find((o) => o.age === t.age - dt);
    if (found) return found.box;
  }
  return t.observations.reduce((a, b) => (b.age > a.age ? b : a)).box;
}

function newTrack(box: Box): OcSortTrack {
  return {
    id: -1,
    age: 0,
    consecutive: 0,
    sinceUpdate: 0,
    x: [...toXysr(box), 0, 0, 0],
    P: [...INITIAL_COVARIANCE],
    lastObservation: box,
    observations: [],
    velocity: null,
    frozen: null,
  };
}

function predict(t: OcSortTrack): void {
  // A shrinking box must not reach a negative area.
  if (t.x[6]! + t.x[2]! <= 0) t.x[6] = 0;
  kalmanStep(MODEL, t, PROCESS_NOISE);
  t.age += 1;
  if (t.sinceUpdate > 0) t.consecutive = 0;
  t.sinceUpdate += 1;
}

function observe(t: OcSortTrack, box: Box, deltaT: number): void {
  const previous = previousObservation(t, deltaT);
  if (previous) t.velocity = direction(previous, box);
  if (t.frozen) reUpdate(t, t.frozen, box);
  kalmanMeasure(MODEL, t, toXysr(box), MEASUREMENT_NOISE);
  t.sinceUpdate = 0;
  t.consecutive += 1;
  t.lastObservation = box;
  t.observations = [...t.observations.filter((o) => o.age >= t.age - deltaT), { age: t.age, box }];
}

function miss(t: OcSortTrack): void {
  t.frozen ??= { x: [...t.x], P: [...t.P] };
}

/**
 * Back to the filter as it was when the track was lost, then one correction per missed frame with
 * a virtual observation on the straight line (centre, width, height) from the last observation to
 * the new one, predicting between them. The caller then corrects with the real observation.
 */
function reUpdate(t: OcSortTrack, frozen: { x: number[]; P: number[] }, box: Box): void {
  t.x = [...frozen.x];
  t.P = [...frozen.P];
  t.frozen = null;
  const gap = t.sinceUpdate;
  const whOf = (b: readonly number[]) => [...centre(b), b[2]! - b[0]!, b[3]! - b[1]!];
  const from = whOf(t.lastObservation);
  const to = whOf(box);
  for (let i = 1; i <= gap; i++) {
    const [x, y, w, h] = from.map((v, k) => v + ((to[k]! - v) * i) / gap) as [number, number, number, number];
    kalmanMeasure(MODEL, t, [x, y, w * h, w / h], MEASUREMENT_NOISE);
    if (i < gap) kalmanStep(MODEL, t, PROCESS_NOISE);
  }
}

/** Observation-centric momentum: per track and detection, how well the direction to the detection agrees with the track's. */
function directionConsistency(tracks: readonly OcSortTrack[], boxes: readonly Box[], confidences: readonly number[], deltaT: number): number[][] {
  return tracks.map((t) => {
    const v = t.velocity;
    if (!v) return boxes.map(() => 0);
    const from = previousObservation(t, deltaT) ?? t.lastObservation;
    return boxes.map((b, d) => {
      const [dy, dx] = direction(from, b);
      const cos = Math.min(1, Math.max(-1, v[0] * dy + v[1] * dx));
      return ((Math.PI / 2 - Math.abs(Math.acos(cos))) / Math.PI) * confidences[d]!;
    });
  });
}

export function updateOcSort(state: OcSortState, allBoxes: readonly Box[], allConfidences: readonly number[]): FrameTracks {
  const { params } = state;
  if (state.tracks.length === 0 && allBoxes.length === 0) return { indices: [], ids: [] };
  const kept = allBoxes.flatMap((_, i) => (allConfidences[i]! >= params.highConfDetThreshold ? [i] : []));
  const boxes = kept.map((i) => allBoxes[i]!);
  const confidences = kept.map((i) => allConfidences[i]!);
  const out: FrameTracks = { indices: [], ids: [] };
  const emit = (t: OcSortTrack, d: number) => {
    let id = -1;
    if (state.frameCount <= params.minimumConsecutiveFrames || t.consecutive >= params.minimumConsecutiveFrames) {
      if (t.id === -1) t.id = state.nextId++;
      id = t.id;
    }
    out.indices.push(kept[d]!);
    out.ids.push(id);
  };

  for (const t of state.tracks) predict(t);
  const similarity = state.tracks.map((t) => boxes.map((b) => iou(ocTrackBox(t), b)));
  const consistency = directionConsistency(state.tracks, boxes, confidences, params.deltaT);
  const first = matchBySimilarity(
    similarity.map((row, r) => row.map((v, c) => v + params.directionConsistencyWeight * consistency[r]![c]!)),
    boxes.length,
    (r, c) => similarity[r]![c]! >= params.minimumIouThreshold,
  );
  for (const [r, c] of first.matches) {
    observe(state.tracks[r]!, boxes[c]!, params.deltaT);
    emit(state.tracks[r]!, c);
  }

  let leftTracks = first.unmatchedRows;
  let leftBoxes = first.unmatchedColumns;
  if (leftTracks.length > 0 && leftBoxes.length > 0) {
    const lastSeen = leftTracks.map((r) => leftBoxes.map((c) => iou(state.tracks[r]!.lastObservation, boxes[c]!)));
    const recovered = matchBySimilarity(lastSeen, leftBoxes.length, (r, c) => lastSeen[r]![c]! >= params.minimumIouThreshold);
    for (const [r, c] of recovered.matches) {
      const t = state.tracks[leftTracks[r]!]!;
      observe(t, boxes[leftBoxes[c]!]!, params.deltaT);
      emit(t, leftBoxes[c]!);
    }
    leftTracks = recovered.unmatchedRows.map((r) => leftTracks[r]!);
    leftBoxes = recovered.unmatchedColumns.map((c) => leftBoxes[c]!);
  }
  for (const r of leftTracks) miss(state.tracks[r]!);

  state.tracks = state.tracks.filter((t) => {
    if (t.consecutive >= params.minimumConsecutiveFrames && t.id === -1) t.id = state.nextId++;
    return t.sinceUpdate <= state.maxFramesWithoutUpdate;
  });
  for (const c of leftBoxes) {
    state.tracks.push(newTrack(boxes[c]!));
    out.indices.push(kept[c]!);
    out.ids.push(-1);
  }
  state.frameCount += 1;
  return out;
}
