/**
 * Detections Stabilizer (roboflow_core/stabilize_detections@v1): tracked boxes smoothed against
 * their previous frame and, for a short while, boxes for tracks the frame lost, moved on by their
 * estimated velocity (track-velocities.ts), as Roboflow's block does.
 *
 * Roboflow's details kept on purpose: a track's reference point is x1 + |w|, y1 + |h| (its box's
 * bottom-right corner, not its centre); a present track's box is alpha * this frame's box +
 * (1 - alpha) * its previous raw box; a lost track's last box is moved by alpha * velocity every
 * frame it stays lost (the move accumulates in the stored box), and is given back until its
 * velocity history runs out, so a track seen only once is never gap-filled. The filter's history
 * length is the video's first frame's `smoothing_window_size`, as Roboflow makes the filter once
 * per video. A gap-filled detection is the track's last detection (all its columns, its mask where
 * it was: only the box moves), kept as JSON (stored-detection.ts).
 */
import { defineBlock, Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { BOX_KINDS, frameImageField } from "../analytics/analytics-fields.js";
import { trackerIds } from "../analytics/tracked.js";
import { invalidField } from "../errors.js";
import { stepState, videoOf } from "../video/step-state.js";
import { restoreDetection, storeDetection, type StoredDetection } from "./stored-detection.js";
import { fractionField, integerField, type Box } from "./tracker-family.js";
import { updateVelocities, type TrackVelocities, type Vector } from "./track-velocities.js";

const TYPE = "roboflow_core/stabilize_detections@v1";

interface StabilizerState {
  velocities: TrackVelocities;
  /** Each track's last raw detection, by tracker id (an array: object keys would reorder integer ids). */
  last: { trackerId: number; detection: StoredDetection }[];
}

interface StabilizeParams {
  [key: string]: unknown;
  image: WorkflowImage;
  detections: Detections;
  smoothing_window_size: number | null;
  bbox_smoothing_coefficient: number | null;
}

const corner = ([x1, y1, x2, y2]: Box): Vector => [x1 + Math.abs(x2 - x1), y1 + Math.abs(y2 - y1)];
const blend = (previous: Box, current: Box, alpha: number): Box => previous.map((p, k) => alpha * current[k]! + (1 - alpha) * p) as Box;

export const stabilizeDetectionsBlock = defineBlock<StabilizeParams>({
  manifest: {
    type: TYPE,
    name: "Detections Stabilizer",
    description: "Apply a smoothing algorithm to reduce noise and flickering across video frames.",
    family: "transformations",
    stateful: true,
    fields: {
      image: frameImageField,
      detections: {
        description: "Tracked predictions (a tracker step's output): each track's box is smoothed, and briefly kept moving when the frame loses it.",
        kinds: BOX_KINDS,
        required: true,
      },
      smoothing_window_size: integerField(
        "How many of a track's last measured velocities its velocity estimate averages; a lost track is given back until that many frames drop them (null: unbounded).",
        3,
      ),
      bbox_smoothing_coefficient: fractionField("Weight of this frame's box against the track's previous box (alpha): lower smooths more.", 0.2),
    },
    outputs: [{ name: "tracked_detections", kinds: BOX_KINDS }],
  },
  run({ image, detections, smoothing_window_size: window, bbox_smoothing_coefficient: alpha }, ctx) {
    const ids = trackerIds(detections, TYPE);
    if (window !== null && !(Number.isInteger(window) && window >= 1)) throw invalidField(`${TYPE} requires smoothing_window_size of at least 1 (or null), got ${window}`);
    if (alpha === null) throw invalidField(`${TYPE} requires a bbox_smoothing_coefficient, got null`);
    const state = stepState<StabilizerState>(ctx, videoOf(image), () => ({ velocities: { window, tracks: [] }, last: [] }));
    const last = new Map(state.last.map((entry) => [entry.trackerId, entry.detection]));

    const measured = new Map<number, Vector>();
    ids.forEach((id, i) => {
      const previous = id === null ? undefined : last.get(id);
      if (id === null || !previous) return;
      const [x, y] = corner(detections.box(i));
      const [px, py] = corner(previous.box);
      measured.set(id, [x - px, y - py]);
    });
    const predicted = updateVelocities(state.velocities, measured);

    // The frame's own detections, one per tracker id (a repeated id keeps its first place and its
    // last detection, smoothed against the one before it, as Roboflow's dict of them does);
    // detections without a tracker id pass through as they are.
    const present: { index: number; box: Box; id: number | null }[] = [];
    const placeOf = new Map<number, number>();
    ids.forEach((id, i) => {
      const box = detections.box(i);
      if (id === null) return void present.push({ index: i, box, id });
      const previous = last.get(id);
      const row = { index: i, box: previous ? blend(previous.box, box, alpha) : box, id };
      const place = placeOf.get(id);
      if (place === undefined) placeOf.set(id, present.push(row) - 1);
      else present[place] = row;
      last.set(id, storeDetection(detections, i));
    });

    const gapFilled: Detections[] = [];
    for (const [id, [vx, vy]] of predicted) {
      if (placeOf.has(id)) continue;
      const stored = last.get(id)!;
      stored.box = blend(stored.box, [stored.box[0] + vx, stored.box[1] + vy, stored.box[2] + vx, stored.box[3] + vy], alpha);
      gapFilled.push(restoreDetection(stored, detections.image));
    }

    const tracked = new Set(state.velocities.tracks.map((t) => t.trackerId));
    state.last = [...last]
      .filter(([id]) => tracked.has(id) || placeOf.has(id) || predicted.has(id))
      .map(([trackerId, detection]) => ({ trackerId, detection }));

    const kept = detections.select(present.map((p) => p.index)).with({ xyxy: present.flatMap((p) => p.box) });
    return { tracked_detections: gapFilled.length ? Detections.concat([kept, ...gapFilled], detections.image) : kept };
  },
});
