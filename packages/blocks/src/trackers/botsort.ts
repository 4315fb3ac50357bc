/**
 * BoT-SORT as Roboflow's `trackers` library runs it (BoTSORTTracker), as functions over JSON state:
 * ByteTrack's association with BoT-SORT's Kalman filter (centre, width, height and their
 * velocities, with noise proportional to the box's size). Per frame:
 * 1. tracks predict their boxes; detections split into high (>= high_conf_det_threshold) and low
 *    (0.1 .. high) confidence; tracks into confirmed (an id, or enough hits), unconfirmed, and lost
 *    (missed more than the last frame);
 * 2. high detections are matched to confirmed and lost tracks on IoU × confidence
 *    (>= minimum_iou_threshold_first_assoc);
 * 3. low detections to the confirmed tracks still unmatched that were seen last frame, on IoU
 *    (>= minimum_iou_threshold_second_assoc);
 * 4. high detections left to unconfirmed tracks on IoU × confidence
 *    (>= minimum_iou_threshold_unconfirmed_assoc); unconfirmed tracks left unmatched are dropped;
 * 5. high detections left with confidence >= track_activation_threshold start tracks (with an id
 *    at once on a video's first frame when instant_first_frame_activation);
 * 6. tracks missed for maximum_frames_without_update frames, or unconfirmed and missed, go.
 * A track gets its id when a match brings its hits (the first detection counting) to
 * minimum_consecutive_frames. Camera motion compensation: see cmc.ts.
 */
import { iou } from "@cvflow/engine";
import { kalmanMeasure, kalmanStep, type MotionModel } from "./kalman.js";
import { diagonal } from "./matrix.js";
import { matchBySimilarity } from "./similarity-match.js";
import type { Box, FrameTracks } from "./tracker-family.js";

export interface BotSortParams {
  lostTrackBuffer: number;
  trackActivationThreshold: number;
  minimumConsecutiveFrames: number;
  minimumIouThresholdFirstAssoc: number;
  minimumIouThresholdSecondAssoc: number;
  minimumIouThresholdUnconfirmedAssoc: number;
  highConfDetThreshold: number;
  instantFirstFrameActivation: boolean;
}

export interface BotSortTrack {
  /** -1 until confirmed. */
  id: number;
  hits: number;
  sinceUpdate: number;
  /** centre x, centre y, width, height, and their velocities. */
  x: number[];
  /** 8 × 8 row-major. */
  P: number[];
}

export interface BotSortState {
  params: BotSortParams;
  maxFramesWithoutUpdate: number;
  nextId: number;
  frame: number;
  tracks: BotSortTrack[];
}

const MODEL: MotionModel = { n: 8, m: 4, velocityOf: [0, 1, 2, 3] };
const SIGMA_POSITION = 0.05;
const SIGMA_VELOCITY = 0.00625;
const SIGMA_MEASUREMENT = 0.05;
const LOW_CONFIDENCE_FLOOR = 0.1;

/** A positive buffer lasts at least one missed frame, whatever the fps; 0 drops a track at its first miss. */
export function newBotSort(params: BotSortParams, fps: number): BotSortState {
  const buffer = params.lostTrackBuffer;
  const maxFramesWithoutUpdate = buffer > 0 ? Math.max(1, Math.floor((fps / 30) * buffer)) : 0;
  return { params, maxFramesWithoutUpdate, nextId: 0, frame: 0, tracks: [] };
}

function toXywh([x1, y1, x2, y2]: readonly number[]): number[] {
  return [(x1! + x2!) / 2, (y1! + y2!) / 2, x2! - x1!, y2! - y1!];
}

export function botTrackBox(t: BotSortTrack): Box {
  const [x, y, w, h] = t.x as [number, number, number, number];
  return [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
}

/** Noise proportional to the box's size, from the track's current width and height. */
function sizeNoise(t: BotSortTrack): { Q: number[]; R: number[] } {
  const w = Math.max(t.x[2]!, 1e-3);
  const h = Math.max(t.x[3]!, 1e-3);
  const p = [SIGMA_POSITION * w, SIGMA_POSITION * h, SIGMA_POSITION * w, SIGMA_POSITION * h];
  const v = [SIGMA_VELOCITY * w, SIGMA_VELOCITY * h, SIGMA_VELOCITY * w, SIGMA_VELOCITY * h];
  const m = [SIGMA_MEASUREMENT * w, SIGMA_MEASUREMENT * h, SIGMA_MEASUREMENT * w, SIGMA_MEASUREMENT * h];
  return { Q: diagonal([...p, ...v].map((s) => s * s)), R: diagonal(m.map((s) => s * s)) };
}

function clampSize(t: BotSortTrack): void {
  t.x[2] = Math.max(t.x[2]!, 1e-3);
  t.x[3] = Math.max(t.x[3]!, 1e-3);
}

function newTrack(box: Box): BotSortTrack {
  const x = [...toXywh(box), 0, 0, 0, 0];
  const [, , w, h] = x as [number, number, number, number];
  const p = [2 * SIGMA_POSITION * w, 2 * SIGMA_POSITION * h, 2 * SIGMA_POSITION * w, 2 * SIGMA_POSITION * h];
  const v = [10 * SIGMA_VELOCITY * w, 10 * SIGMA_VELOCITY * h, 10 * SIGMA_VELOCITY * w, 10 * SIGMA_VELOCITY * h];
  return { id: -1, hits: 1, sinceUpdate: 0, x, P: diagonal([...p, ...v].map((s) => s * s)) };
}

function predict(t: BotSortTrack): void {
  kalmanStep(MODEL, t, sizeNoise(t).Q);
  clampSize(t);
  t.sinceUpdate += 1;
}

function observe(t: BotSortTrack, box: Box): void {
  kalmanMeasure(MODEL, t, toXywh(box), sizeNoise(t).R);
  clampSize(t);
  t.sinceUpdate = 0;
  t.hits += 1;
}

/** Moves every track by a 2 × 3 affine map of the image (camera motion): centre and its velocity, and their covariance. */
export function moveTracks(tracks: readonly BotSortTrack[], affine: readonly number[]): void {
  const [a, b, tx, c, d, ty] = affine as [number, number, number, number, number, number];
  for (const t of tracks) {
    const [x, y, , , vx, vy] = t.x as number[];
    t.x[0] = a * x! + b * y! + tx;
    t.x[1] = c * x! + d * y! + ty;
    t.x[4] = a * vx! + b * vy!;
    t.x[5] = c * vx! + d * vy!;
    // P = A P Aᵀ with A the rotation part on (x, y) and on (vx, vy).
    const n = 8;
    const rotate = (P: number[], rowWise: boolean) => {
      for (const [i, j] of [
        [0, 1],
        [4, 5],
      ] as const) {
        for (let k = 0; k < n; k++) {
          const at = (r: number) => (rowWise ? r * n + k : k * n + r);
          const u = P[at(i)]!;
          const w = P[at(j)]!;
          P[at(i)] = a * u + b * w;
          P[at(j)] = c * u + d * w;
        }
      }
    };
    rotate(t.P, true);
    rotate(t.P, false);
  }
}

export function updateBotSort(state: BotSortState, boxes: readonly Box[], confidences: readonly number[], cameraMotion?: (highBoxes: Box[]) => number[] | null): FrameTracks {
  const { params } = state;
  state.frame += 1;
  if (state.tracks.length === 0 && boxes.length === 0) return { indices: [], ids: [] };
  const out: FrameTracks = { indices: [], ids: [] };
  const emit = (t: BotSortTrack, index: number) => {
    if (t.hits >= params.minimumConsecutiveFrames && t.id === -1) t.id = state.nextId++;
    out.indices.push(index);
    out.ids.push(t.id);
  };

  for (const t of state.tracks) predict(t);
  const high = boxes.flatMap((_, i) => (confidences[i]! >= params.highConfDetThreshold ? [i] : []));
  const low = boxes.flatMap((_, i) => (confidences[i]! > LOW_CONFIDENCE_FLOOR && confidences[i]! < params.highConfDetThreshold ? [i] : []));
  const lost = state.tracks.filter((t) => t.sinceUpdate > 1);
  const confirmed = state.tracks.filter((t) => t.sinceUpdate <= 1 && (t.id !== -1 || t.hits >= params.minimumConsecutiveFrames));
  const unconfirmed = state.tracks.filter((t) => t.sinceUpdate <= 1 && t.id === -1 && t.hits < params.minimumConsecutiveFrames);

  const affine = cameraMotion?.(high.map((i) => boxes[i]!));
  if (affine) moveTracks(state.tracks, affine);
  const predicted = new Map(state.tracks.map((t) => [t, botTrackBox(t)]));
  const similarity = (tracks: readonly BotSortTrack[], dets: readonly number[], fused: boolean) =>
    tracks.map((t) => dets.map((i) => iou(predicted.get(t)!, boxes[i]!) * (fused ? confidences[i]! : 1)));
  const matchAbove = (sim: number[][], columns: number, threshold: number) => matchBySimilarity(sim, columns, (r, c) => sim[r]![c]! >= threshold);

  const pool = [...confirmed, ...lost];
  const first = matchAbove(similarity(pool, high, true), high.length, params.minimumIouThresholdFirstAssoc);
  for (const [r, c] of first.matches) {
    observe(pool[r]!, boxes[high[c]!]!);
    emit(pool[r]!, high[c]!);
  }

  const recent = first.unmatchedRows.map((r) => pool[r]!).filter((t) => t.sinceUpdate === 1);
  const second = matchAbove(similarity(recent, low, false), low.length, params.minimumIouThresholdSecondAssoc);
  for (const [r, c] of second.matches) {
    observe(recent[r]!, boxes[low[c]!]!);
    emit(recent[r]!, low[c]!);
  }
  for (const c of second.unmatchedColumns) {
    out.indices.push(low[c]!);
    out.ids.push(-1);
  }

  let leftHigh = first.unmatchedColumns.map((c) => high[c]!);
  const third = matchAbove(similarity(unconfirmed, leftHigh, true), leftHigh.length, params.minimumIouThresholdUnconfirmedAssoc);
  for (const [r, c] of third.matches) {
    observe(unconfirmed[r]!, boxes[leftHigh[c]!]!);
    emit(unconfirmed[r]!, leftHigh[c]!);
  }
  const dropped = new Set(third.unmatchedRows.map((r) => unconfirmed[r]!));
  leftHigh = third.unmatchedColumns.map((c) => leftHigh[c]!);
  state.tracks = state.tracks.filter((t) => !dropped.has(t));

  for (const i of leftHigh) {
    let id = -1;
    if (confidences[i]! >= params.trackActivationThreshold) {
      const t = newTrack(boxes[i]!);
      if (state.frame === 1 && params.instantFirstFrameActivation) t.id = state.nextId++;
      state.tracks.push(t);
      id = t.id;
    }
    out.indices.push(i);
    out.ids.push(id);
  }

  state.tracks = state.tracks.filter(
    (t) => t.sinceUpdate < state.maxFramesWithoutUpdate && (t.hits >= params.minimumConsecutiveFrames || t.sinceUpdate === 0),
  );
  return out;
}
