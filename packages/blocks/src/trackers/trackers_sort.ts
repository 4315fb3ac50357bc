/** SORT Tracker (roboflow_core/trackers_sort@v1): Roboflow's `trackers` SORT per video (sort.ts). */
import { newSort, updateSort } from "./sort.js";
import { boxesOf, fractionField, integerField, trackerFamilyBlock, type TrackerFamilyParams } from "./tracker-family.js";

interface SortBlockParams extends TrackerFamilyParams {
  minimum_iou_threshold: number | null;
  minimum_consecutive_frames: number | null;
  lost_track_buffer: number | null;
  track_activation_threshold: number | null;
}

export const sortTrackerBlock = trackerFamilyBlock<SortBlockParams, ReturnType<typeof newSort>>({
  type: "roboflow_core/trackers_sort@v1",
  name: "SORT Tracker",
  description: "Fast, lightweight object tracking (Kalman filter and IoU matching). Works best when objects are clearly visible.",
  fields: {
    minimum_iou_threshold: fractionField("Minimum IoU between a track's predicted box and a detection to continue the track.", 0.3),
    minimum_consecutive_frames: integerField("Frames a track must be matched on before its detections are output with a tracker id.", 3),
    lost_track_buffer: integerField("Frames (at 30 fps; scaled by the video's fps) a lost track is kept for, to survive occlusions.", 30),
    track_activation_threshold: fractionField("Confidence a detection needs to start a track.", 0.25),
  },
  create: (p, fps) =>
    newSort(
      {
        minimumIouThreshold: p.minimum_iou_threshold ?? 0.3,
        minimumConsecutiveFrames: p.minimum_consecutive_frames ?? 3,
        lostTrackBuffer: p.lost_track_buffer ?? 30,
        trackActivationThreshold: p.track_activation_threshold ?? 0.25,
      },
      fps,
    ),
  update: (tracker, p) => updateSort(tracker, boxesOf(p.detections), [...p.detections.confidence]),
});
