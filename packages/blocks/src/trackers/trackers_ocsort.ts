/** OC-SORT Tracker (roboflow_core/trackers_ocsort@v1): Roboflow's `trackers` OC-SORT per video (ocsort.ts). */
import { newOcSort, updateOcSort, type OcSortState } from "./ocsort.js";
import { boxesOf, fractionField, integerField, trackerFamilyBlock, type TrackerFamilyParams } from "./tracker-family.js";

interface OcSortBlockParams extends TrackerFamilyParams {
  minimum_iou_threshold: number | null;
  minimum_consecutive_frames: number | null;
  lost_track_buffer: number | null;
  high_conf_det_threshold: number | null;
  direction_consistency_weight: number | null;
  delta_t: number | null;
}

export const ocSortTrackerBlock = trackerFamilyBlock<OcSortBlockParams, OcSortState>({
  type: "roboflow_core/trackers_ocsort@v1",
  name: "OC-SORT Tracker",
  description: "Tracks objects through occlusion and unpredictable movement (observation-centric SORT).",
  fields: {
    minimum_iou_threshold: fractionField("Minimum IoU between a track's box and a detection to continue the track.", 0.3),
    minimum_consecutive_frames: integerField("Frames in a row a track must be matched on before its detections are output with a tracker id.", 3),
    lost_track_buffer: integerField("Frames (at 30 fps; scaled by the video's fps) a lost track is kept for, to survive occlusions.", 30),
    high_conf_det_threshold: fractionField("Confidence a detection needs to be tracked at all; others are ignored.", 0.6),
    direction_consistency_weight: fractionField(
      "Weight of the agreement between a track's recent direction and the direction to a detection, added to IoU when matching.",
      0.2,
    ),
    delta_t: integerField("How many frames back a track's direction of motion is measured from.", 3),
  },
  create: (p, fps) =>
    newOcSort(
      {
        minimumIouThreshold: p.minimum_iou_threshold ?? 0.3,
        minimumConsecutiveFrames: p.minimum_consecutive_frames ?? 3,
        lostTrackBuffer: p.lost_track_buffer ?? 30,
        highConfDetThreshold: p.high_conf_det_threshold ?? 0.6,
        directionConsistencyWeight: p.direction_consistency_weight ?? 0.2,
        deltaT: p.delta_t ?? 3,
      },
      fps,
    ),
  update: (tracker, p) => updateOcSort(tracker, boxesOf(p.detections), [...p.detections.confidence]),
});
