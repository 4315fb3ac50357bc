/**
 * Byte Tracker v1, v2, v3 (roboflow_core/byte_tracker): supervision's ByteTrack per video. v1 reads
 * the video from a `metadata` input and needs its fps; v2 and v3 read the image's video metadata (a
 * missing fps counts as 0: lost tracks are dropped at once, as Roboflow's); v3 also splits the
 * tracked detections into first sightings and returning ones.
 */
import { defineBlock, type BlockContext, type Detections, type FieldSpec, type Kind, type OutputSpec } from "@cvflow/engine";
import type { VideoMetadata, WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { newByteTrack, trackerIdsFor, updateByteTrack, type ByteTrackParams, type ByteTrackState } from "./bytetrack.js";
import { newInstanceCache, splitByFirstSight, type InstanceCache } from "./instance-cache.js";
import { stepState } from "../video/step-state.js";

interface ByteTrackerParams {
  [key: string]: unknown;
  detections: Detections;
  track_activation_threshold: number;
  lost_track_buffer: number;
  minimum_matching_threshold: number;
  minimum_consecutive_frames: number;
}

const thresholdsFields: Record<string, FieldSpec> = {
  track_activation_threshold: {
    description: "Confidence a detection needs to start a track (and, +0.1, to be matched in the first round).",
    kinds: ["float_zero_to_one"],
    schema: { type: ["number", "null"] },
    default: 0.25,
  },
  lost_track_buffer: {
    description: "Frames (at 30 fps; scaled by the video's fps) a lost track is kept for, to survive occlusions.",
    kinds: ["integer"],
    schema: { type: ["integer", "null"] },
    default: 30,
  },
  minimum_matching_threshold: {
    description: "Largest cost (1 - IoU x confidence) at which a confident detection continues a track.",
    kinds: ["float_zero_to_one"],
    schema: { type: ["number", "null"] },
    default: 0.8,
  },
  minimum_consecutive_frames: {
    description: "Frames a track must be matched on before its detections are output with a tracker id.",
    kinds: ["integer"],
    schema: { type: ["integer", "null"] },
    default: 1,
  },
};

const detectionsField = (kinds: readonly Kind[]): FieldSpec => ({
  description: "The frame's detections to track.",
  kinds,
  required: true,
});

const imageField: FieldSpec = { description: "The video frame; its video metadata names the video and its fps.", kinds: ["image"], required: true };

const TRACKED: OutputSpec = { name: "tracked_detections", kinds: ["object_detection_prediction"] };

/** Runs one frame through a video's tracker: the detections a confirmed track owns, with their tracker ids. */
function track(state: ByteTrackState, detections: Detections): Detections {
  const boxes = Array.from({ length: detections.length }, (_, i) => detections.box(i));
  const tracks = updateByteTrack(state, boxes, [...detections.confidence]);
  const ids = trackerIdsFor(boxes, tracks);
  return detections.withTrackerIds(ids).filter((i) => ids[i] !== -1);
}


function trackerParams(p: ByteTrackerParams, fps: number): ByteTrackParams {
  return {
    trackActivationThreshold: p.track_activation_threshold ?? 0.25,
    lostTrackBuffer: p.lost_track_buffer ?? 30,
    minimumMatchingThreshold: p.minimum_matching_threshold ?? 0.8,
    minimumConsecutiveFrames: p.minimum_consecutive_frames ?? 1,
    frameRate: fps,
  };
}

export const byteTrackerV1Block = defineBlock<ByteTrackerParams & { metadata: VideoMetadata }>({
  manifest: {
    type: "roboflow_core/byte_tracker@v1",
    name: "Byte Tracker",
    description: "Track and update object positions across video frames using ByteTrack.",
    family: "transformations",
    stateful: true,
    fields: {
      metadata: { description: "The frame's video metadata: which video, and its fps.", kinds: ["video_metadata"], required: true },
      detections: detectionsField(["object_detection_prediction", "instance_segmentation_prediction"]),
      ...thresholdsFields,
    },
    outputs: [TRACKED],
  },
  run(p, ctx) {
    const fps = p.metadata?.fps;
    if (!fps) throw invalidField("metadata: byte_tracker@v1 needs the video's fps to set up ByteTrack (Roboflow's refuses a frame without it)");
    const state = stepState(ctx, p.metadata.video_identifier, () => newByteTrack(trackerParams(p, fps)));
    return { tracked_detections: track(state, p.detections) };
  },
});

function frameTracker(ctx: BlockContext, p: ByteTrackerParams, image: WorkflowImage): ByteTrackState {
  const meta = image.videoMetadata;
  return stepState(ctx, meta.video_identifier, () => newByteTrack(trackerParams(p, meta.fps || 0)));
}

export const byteTrackerV2Block = defineBlock<ByteTrackerParams & { image: WorkflowImage }>({
  manifest: {
    type: "roboflow_core/byte_tracker@v2",
    name: "Byte Tracker",
    description: "Track and update object positions across video frames using ByteTrack.",
    family: "transformations",
    stateful: true,
    fields: {
      image: imageField,
      detections: detectionsField(["object_detection_prediction", "instance_segmentation_prediction"]),
      ...thresholdsFields,
    },
    outputs: [TRACKED],
  },
  run(p, ctx) {
    return { tracked_detections: track(frameTracker(ctx, p, p.image), p.detections) };
  },
});

interface V3State {
  tracker: ByteTrackState;
  instances: InstanceCache;
}

export const byteTrackerV3Block = defineBlock<ByteTrackerParams & { image: WorkflowImage; instances_cache_size: number }>({
  manifest: {
    type: "roboflow_core/byte_tracker@v3",
    name: "Byte Tracker",
    description: "Track and update object positions across video frames using ByteTrack; tells first sightings from returning objects.",
    family: "transformations",
    stateful: true,
    fields: {
      image: imageField,
      detections: detectionsField(["object_detection_prediction", "keypoint_detection_prediction", "instance_segmentation_prediction"]),
      ...thresholdsFields,
      instances_cache_size: {
        description: "How many tracker ids are remembered (oldest forgotten first) to tell new instances from already seen ones.",
        schema: { type: "integer" },
        default: 16384,
      },
    },
    outputs: [
      TRACKED,
      { name: "new_instances", kinds: ["object_detection_prediction"] },
      { name: "already_seen_instances", kinds: ["object_detection_prediction"] },
    ],
  },
  run(p, ctx) {
    const meta = p.image.videoMetadata;
    const state = stepState<V3State>(ctx, meta.video_identifier, () => ({
      tracker: newByteTrack(trackerParams(p, meta.fps || 0)),
      instances: newInstanceCache(p.instances_cache_size),
    }));
    const tracked = track(state.tracker, p.detections);
    const { fresh, seen } = splitByFirstSight(state.instances, tracked);
    return { tracked_detections: tracked, new_instances: fresh, already_seen_instances: seen };
  },
});
