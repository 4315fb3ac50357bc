/**
 * Velocity (v1): each tracked object's velocity and speed from the move of its box centre since
 * the frame it was last seen, smoothed by an exponential moving average, in meters per second
 * (pixels per second over `pixels_per_meter`), as Roboflow's velocity block measures them. The
 * last centre, its time and the smoothed velocity (pixels per second) are kept per tracker id,
 * per step and video. Roboflow's block keeps every id forever; here an id unseen for
 * FORGET_AFTER_FRAMES frames is forgotten (unseen-tracks.ts: its tracker has dropped it long
 * before), so a stream's state stays bounded.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { BOX_KINDS, frameImageField } from "./analytics-fields.js";
import { trackerIds } from "./tracked.js";
import { frameOf } from "./video-frame.js";
import { stepState } from "../video/step-state.js";
import { forgetUnseen, newUnseenTracks, type UnseenTracks } from "../video/unseen-tracks.js";

type Vector = [number, number];

interface TrackMotion {
  centre: Vector;
  /** Frame time (seconds) the centre was seen at. */
  at: number;
  /** Pixels per second. */
  smoothed: Vector;
}

interface MotionState {
  /** Per tracker id, where and when it was last seen. */
  tracks: Record<string, TrackMotion>;
  unseen: UnseenTracks;
}

const VELOCITY_KINDS = ["keypoint_detection_prediction", ...BOX_KINDS] as const;
const TYPE = "roboflow_core/velocity@v1";

const norm = ([x, y]: Vector): number => Math.hypot(x, y);
const over = ([x, y]: Vector, k: number): Vector => [x / k, y / k];

interface VelocityParams {
  [key: string]: unknown;
  image: WorkflowImage;
  detections: Detections;
  smoothing_alpha: number;
  pixels_per_meter: number;
}

export const velocityBlock = defineBlock<VelocityParams>({
  manifest: {
    type: TYPE,
    name: "Velocity",
    description: "Calculate the velocity and speed of tracked objects with smoothing and unit conversion.",
    family: "analytics",
    stateful: true,
    fields: {
      image: frameImageField,
      detections: {
        description: "Tracked predictions (a tracker step's output): each box centre's move since its object was last seen gives its velocity.",
        kinds: VELOCITY_KINDS,
        required: true,
      },
      smoothing_alpha: {
        description: "Weight of the newest velocity in the exponential moving average, 0 < alpha <= 1: lower smooths more.",
        kinds: ["float"],
        schema: { type: "number" },
        default: 0.5,
      },
      pixels_per_meter: {
        description: "Pixels in one meter of the scene: velocities in pixels per second are divided by it. 1 keeps pixels.",
        kinds: ["float"],
        schema: { type: "number" },
        default: 1.0,
      },
    },
    outputs: [
      {
        name: "velocity_detections",
        kinds: VELOCITY_KINDS,
        description: "The detections with velocity [vx, vy], speed, smoothed_velocity and smoothed_speed, in meters per second.",
      },
    ],
  },
  run({ image, detections, smoothing_alpha: alpha, pixels_per_meter }, ctx) {
    const ids = trackerIds(detections, TYPE);
    if (!(alpha > 0 && alpha <= 1)) throw invalidField(`${TYPE} requires smoothing_alpha between 0 (exclusive) and 1 (inclusive), got ${alpha}`);
    if (!(pixels_per_meter > 0)) throw invalidField(`${TYPE} requires pixels_per_meter greater than 0, got ${pixels_per_meter}`);
    const { videoId, seconds: now } = frameOf({ image });
    const { tracks, unseen } = stepState<MotionState>(ctx, videoId, () => ({ tracks: {}, unseen: newUnseenTracks() }));
    for (const id of forgetUnseen(unseen, ids)) delete tracks[id];

    const velocity: Vector[] = [];
    const smoothedVelocity: Vector[] = [];
    for (let i = 0; i < detections.length; i++) {
      const [x1, y1, x2, y2] = detections.box(i);
      const centre: Vector = [(x1 + x2) / 2, (y1 + y2) / 2];
      const id = ids[i];
      // A detection no tracker followed has no past: it stands still, and nothing is kept for it.
      const previous = id === null ? undefined : tracks[String(id)];
      const dt = previous ? now - previous.at : 0;
      const current: Vector = previous && dt > 0 ? [(centre[0] - previous.centre[0]) / dt, (centre[1] - previous.centre[1]) / dt] : [0, 0];
      const smoothed: Vector = previous
        ? [alpha * current[0] + (1 - alpha) * previous.smoothed[0], alpha * current[1] + (1 - alpha) * previous.smoothed[1]]
        : current;
      if (id !== null) tracks[String(id)] = { centre, at: now, smoothed };
      velocity.push(over(current, pixels_per_meter));
      smoothedVelocity.push(over(smoothed, pixels_per_meter));
    }
    return {
      velocity_detections: detections
        .withData("velocity", velocity)
        .withData("speed", velocity.map(norm))
        .withData("smoothed_velocity", smoothedVelocity)
        .withData("smoothed_speed", smoothedVelocity.map(norm)),
    };
  },
});
