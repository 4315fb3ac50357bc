/** Fields the analytics blocks share: the frame they run on and the tracked detections they follow. */
import type { FieldSpec, Kind } from "@cvflow/engine";

/** Object detections or instance segmentations: what the analytics blocks take and give back. */
export const BOX_KINDS: readonly Kind[] = ["object_detection_prediction", "instance_segmentation_prediction"];

export const trackedDetectionsField: FieldSpec = {
  description: "Tracked predictions (a tracker step's output): each detection's tracker_id follows its object across frames.",
  kinds: BOX_KINDS,
  required: true,
};

/** A v1 block's video: a WorkflowVideoMetadata input. */
export const videoMetadataField: FieldSpec = {
  description: "The frame's video metadata (a WorkflowVideoMetadata input): which video, which frame, when.",
  kinds: ["video_metadata"],
  required: true,
};

/** A later version's video: the frame image's own video metadata (its pixels are not read). */
export const frameImageField: FieldSpec = {
  description: "The video frame; its video metadata says which video and when.",
  kinds: ["image"],
  required: true,
  deferLoad: true,
};
