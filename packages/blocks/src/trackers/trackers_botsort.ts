/**
 * BoT-SORT Tracker (roboflow_core/trackers_botsort@v1): Roboflow's `trackers` BoT-SORT per video
 * (botsort.ts), with camera motion compensation by sparse optical flow (cmc.ts). The other
 * cmc_methods (orb, sift, ecc: OpenCV's feature matchers and ECC alignment) are not available:
 * asking for one with enable_cmc is a 400 naming the one that is, not a silent substitute.
 */
import { invalidField } from "../errors.js";
import { newBotSort, updateBotSort, type BotSortState } from "./botsort.js";
import { estimateCameraMotion, type CmcState } from "./cmc.js";
import { booleanField, boxesOf, type Box, fractionField, integerField, trackerFamilyBlock, type TrackerFamilyParams } from "./tracker-family.js";

interface BotSortBlockParams extends TrackerFamilyParams {
  minimum_iou_threshold_first_assoc: number | null;
  minimum_iou_threshold_second_assoc: number | null;
  minimum_iou_threshold_unconfirmed_assoc: number | null;
  minimum_consecutive_frames: number | null;
  lost_track_buffer: number | null;
  track_activation_threshold: number | null;
  high_conf_det_threshold: number | null;
  enable_cmc: boolean;
  cmc_method: string;
  cmc_downscale: number | null;
  instant_first_frame_activation: boolean;
}

interface BotSortVideo {
  tracker: BotSortState;
  /** Camera motion compensation: the shrink factor and the previous frame; null when disabled. */
  cmc: { downscale: number; previous: CmcState | null } | null;
}

const CMC_METHOD = "sparseOptFlow";

export const botSortTrackerBlock = trackerFamilyBlock<BotSortBlockParams, BotSortVideo>({
  type: "roboflow_core/trackers_botsort@v1",
  name: "BoT-SORT Tracker",
  description: "ByteTrack-style association with optional camera motion compensation (BoT-SORT).",
  fields: {
    minimum_iou_threshold_first_assoc: fractionField("Minimum IoU × confidence to match a high-confidence detection to a confirmed or lost track.", 0.2),
    minimum_iou_threshold_second_assoc: fractionField("Minimum IoU to match a low-confidence detection to a track seen on the previous frame.", 0.5),
    minimum_iou_threshold_unconfirmed_assoc: fractionField("Minimum IoU × confidence to match a detection left over to a track not yet confirmed.", 0.3),
    minimum_consecutive_frames: integerField("Frames a track must be matched on before its detections are output with a tracker id.", 2),
    lost_track_buffer: integerField("Frames (at 30 fps; scaled by the video's fps) a lost track is kept for, to survive occlusions.", 30),
    track_activation_threshold: fractionField("Confidence a detection needs to start a track.", 0.7),
    high_conf_det_threshold: fractionField("Confidence splitting detections into high (matched first) and low (matched second).", 0.6),
    enable_cmc: booleanField("Compensate camera motion between frames before matching (reads the frame's pixels).", false),
    cmc_method: {
      description: "How camera motion is estimated: orb, sift, sparseOptFlow or ecc.",
      schema: { enum: ["orb", "sift", "sparseOptFlow", "ecc"] },
      default: "sparseOptFlow",
    },
    cmc_downscale: integerField("Factor the frame is shrunk by before camera motion is estimated.", 2),
    instant_first_frame_activation: booleanField("Give tracks started on a video's first frame their id at once.", false),
  },
  create: (p, fps) => {
    if (p.enable_cmc && p.cmc_method !== CMC_METHOD) {
      throw invalidField(`cmc_method: ${p.cmc_method} is not available here; camera motion is estimated with ${CMC_METHOD} (or set enable_cmc to false)`);
    }
    return {
      tracker: newBotSort(
        {
          minimumIouThresholdFirstAssoc: p.minimum_iou_threshold_first_assoc ?? 0.2,
          minimumIouThresholdSecondAssoc: p.minimum_iou_threshold_second_assoc ?? 0.5,
          minimumIouThresholdUnconfirmedAssoc: p.minimum_iou_threshold_unconfirmed_assoc ?? 0.3,
          minimumConsecutiveFrames: p.minimum_consecutive_frames ?? 2,
          lostTrackBuffer: p.lost_track_buffer ?? 30,
          trackActivationThreshold: p.track_activation_threshold ?? 0.7,
          highConfDetThreshold: p.high_conf_det_threshold ?? 0.6,
          instantFirstFrameActivation: p.instant_first_frame_activation,
        },
        fps,
      ),
      cmc: p.enable_cmc ? { downscale: p.cmc_downscale ?? 2, previous: null } : null,
    };
  },
  update: ({ tracker, cmc }, p) => {
    const cameraMotion =
      cmc &&
      ((objects: Box[]) => {
        const { affine, next } = estimateCameraMotion(cmc.previous, p.image.pixels, cmc.downscale, objects);
        cmc.previous = next;
        return affine;
      });
    return updateBotSort(tracker, boxesOf(p.detections), [...p.detections.confidence], cameraMotion ?? undefined);
  },
});
