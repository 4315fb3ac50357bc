/**
 * ByteTrack as Roboflow's `trackers` library runs it (ByteTrackTracker, behind
 * roboflow_core/trackers_bytetrack@v1) — not supervision's ByteTrack (bytetrack.ts): its tracks are
 * the library's SORT tracks (a Kalman filter on the box corners, sort.ts), associated in two stages.
 * Per frame:
 * 1. every track predicts its box; detections split into high (confidence >= high_conf_det_threshold)
 *    and low (the rest, however low);
 * 2. high detections are matched to all tracks by the assignment maximising IoU, pairs under
 *    minimum_iou_threshold dropped;
 * 3. low detections are matched the same way to the tracks left;
 * 4. high detections left with confidence >= track_activation_threshold start tracks (no id yet);
 * 5. tracks lost for maximum_frames_without_update frames, or immature and missed, go (sort.ts).
 * A matched track gets the next id when its hits (the first detection counting) reach
 * minimum_consecutive_frames. Detections come out in that order — high matches, low matches, low
 * left (id -1), new tracks (id -1) — and high detections under the activation threshold that
 * matched nothing are not output at all.
 */
import { iou } from "@cvflow/engine";
import { kalmanCorrect, kalmanPredict } from "./matrix.js";
import { matchBySimilarity } from "./similarity-match.js";
import { aliveTracks, MEASUREMENT_NOISE, newTrack, PROCESS_NOISE, trackBox, type SortTrack } from "./sort.js";
import { framesWithoutUpdate, type Box, type FrameTracks } from "./tracker-family.js";

export interface CornerByteTrackParams {
  lostTrackBuffer: number;
  trackActivationThreshold: number;
  minimumConsecutiveFrames: number;
  minimumIouThreshold: number;
  highConfDetThreshold: number;
}

export interface CornerByteTrackState {
  params: CornerByteTrackParams;
  maxFramesWithoutUpdate: number;
  nextId: number;
  tracks: SortTrack[];
}

export function newCornerByteTrack(params: CornerByteTrackParams, fps: number): CornerByteTrackState {
  return { params, maxFramesWithoutUpdate: framesWithoutUpdate(params.lostTrackBuffer, fps), nextId: 0, tracks: [] };
}

export function updateCornerByteTrack(state: CornerByteTrackState, boxes: readonly Box[], confidences: readonly number[]): FrameTracks {
  const { params } = state;
  const out: FrameTracks = { indices: [], ids: [] };
  if (state.tracks.length === 0 && boxes.length === 0) return out;
  for (const t of state.tracks) {
    ({ mean: t.mean, cov: t.covariance } = kalmanPredict(t.mean, t.covariance, PROCESS_NOISE));
    t.sinceUpdate += 1;
  }
  const high = boxes.flatMap((_, i) => (confidences[i]! >= params.highConfDetThreshold ? [i] : []));
  const low = boxes.flatMap((_, i) => (confidences[i]! < params.highConfDetThreshold ? [i] : []));

  /** Matches `dets` to `tracks` on IoU, corrects and outputs the matched; returns what is left of both. */
  const associate = (tracks: readonly SortTrack[], dets: readonly number[]) => {
    const predicted = tracks.map(trackBox);
    const similarity = predicted.map((p) => dets.map((i) => iou(p, boxes[i]!)));
    const step = matchBySimilarity(similarity, dets.length, (r, c) => similarity[r]![c]! >= params.minimumIouThreshold);
    for (const [r, c] of step.matches) {
      const t = tracks[r]!;
      ({ mean: t.mean, cov: t.covariance } = kalmanCorrect(t.mean, t.covariance, boxes[dets[c]!]!, MEASUREMENT_NOISE));
      t.sinceUpdate = 0;
      t.hits += 1;
      if (t.hits >= params.minimumConsecutiveFrames && t.id === -1) t.id = state.nextId++;
      out.indices.push(dets[c]!);
      out.ids.push(t.id);
    }
    return { tracks: step.unmatchedRows.map((r) => tracks[r]!), dets: step.unmatchedColumns.map((c) => dets[c]!) };
  };

  const first = associate(state.tracks, high);
  const second = associate(first.tracks, low);
  for (const i of second.dets) {
    out.indices.push(i);
    out.ids.push(-1);
  }
  for (const i of first.dets) {
    if (confidences[i]! < params.trackActivationThreshold) continue;
    state.tracks.push(newTrack(boxes[i]!));
    out.indices.push(i);
    out.ids.push(-1);
  }
  state.tracks = aliveTracks(state.tracks, state.maxFramesWithoutUpdate, params.minimumConsecutiveFrames);
  return out;
}
