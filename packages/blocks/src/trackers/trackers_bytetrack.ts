/** ByteTrack Tracker (roboflow_core/trackers_bytetrack@v1): Roboflow's `trackers` ByteTrack per video (corner-bytetrack.ts). */
import { newCornerByteTrack, updateCornerByteTrack, type CornerByteTrackState } from "./corner-bytetrack.js";
import { boxesOf, fractionField, integerField, trackerFamilyBlock, type TrackerFamilyParams } from "./tracker-family.js";

interface ByteTrackBlockParams extends TrackerFamilyParams {
  minimum_iou_threshold: number | null;
  minimum_consecutive_frames: number | null;
  lost_track_buffer: number | null;
  track_activation_threshold: number | null;
  high_conf_det_threshold: number | null;
}

export const byteTrackTrackerBlock = trackerFamilyBlock<ByteTrackBlockParams, CornerByteTrackState>({
  type: "roboflow_core/trackers_bytetrack@v1",
  name: "ByteTrack Tracker",
  description: "Tracks objects across frames, matching confident detections first and weak ones second. Best for most scenes.",
  fields: {
    minimum_iou_threshold: fractionField("Minimum IoU between a track's predicted box and a detection to continue the track.", 0.1),
    minimum_consecutive_frames: integerField("Frames a track must be matched on before its detections are output with a tracker id.", 2),
    lost_track_buffer: integerField("Frames (at 30 fps; scaled by the video's fps) a lost track is kept for, to survive occlusions.", 30),
    track_activation_threshold: fractionField("Confidence a detection needs to start a track.", 0.7),
    high_conf_det_threshold: fractionField("Confidence splitting detections into high (matched first) and low (matched second).", 0.6),
  },
  create: (p, fps) =>
    newCornerByteTrack(
      {
        minimumIouThreshold: p.minimum_iou_threshold ?? 0.1,
        minimumConsecutiveFrames: p.minimum_consecutive_frames ?? 2,
        lostTrackBuffer: p.lost_track_buffer ?? 30,
        trackActivationThreshold: p.track_activation_threshold ?? 0.7,
        highConfDetThreshold: p.high_conf_det_threshold ?? 0.6,
      },
      fps,
    ),
  update: (tracker, p) => updateCornerByteTrack(tracker, boxesOf(p.detections), [...p.detections.confidence]),
});
