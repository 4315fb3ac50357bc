/**
 * Which video a frame belongs to and when it was taken, as Roboflow's analytics blocks read them
 * from a frame's VideoMetadata: a frame of a video file is at frame_number / fps seconds; a frame
 * of a stream (or a photo) at its frame_timestamp.
 */
import { readVideoMetadata, type VideoMetadata, type WorkflowImage } from "@cvflow/vision";

export interface VideoFrame {
  videoId: string;
  /** Seconds: from the start of a video file, or since the epoch for a stream. */
  seconds: number;
}

export function videoFrame(metadata: VideoMetadata): VideoFrame {
  const { video_identifier: videoId, frame_number, fps, comes_from_video_file } = metadata;
  // Roboflow: `comes_from_video_file and fps != 0`; an unknown fps cannot divide, so it falls back to the timestamp.
  if (comes_from_video_file && fps !== null && fps !== 0) return { videoId, seconds: frame_number / fps };
  return { videoId, seconds: Date.parse(metadata.frame_timestamp) / 1000 };
}

/** A v1 block's `metadata` field (a WorkflowVideoMetadata input, plain JSON) or a later version's image. */
export function frameOf(source: { metadata: unknown } | { image: WorkflowImage }): VideoFrame {
  return videoFrame("metadata" in source ? readVideoMetadata(source.metadata) : source.image.videoMetadata);
}
