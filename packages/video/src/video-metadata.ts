/** A decoded frame as the workflow sees it: a WorkflowImage on its pixels (no codec) and its WorkflowVideoMetadata. */
import { inputImageId, WorkflowImage, type VideoMetadata } from "@cvflow/vision";
import type { VideoFrame } from "./video-frame.js";

/** Roboflow's: the source's number in the pipeline's list of references, as text. */
export function frameVideoMetadata(frame: VideoFrame): VideoMetadata {
  return {
    video_identifier: String(frame.sourceId),
    frame_number: frame.frameId,
    frame_timestamp: frame.frameTimestamp.toISOString(),
    fps: frame.fps,
    measured_fps: frame.measuredFps,
    comes_from_video_file: frame.comesFromVideoFile,
  };
}

/** The frame's pixels as the image input `pointer` ("/inputs/image", "/inputs/image/1"), carrying its video metadata. */
export function frameImage(frame: VideoFrame, pointer: string, metadata = frameVideoMetadata(frame)): WorkflowImage {
  const id = inputImageId(pointer);
  return new WorkflowImage(frame.image, { parentId: id, parentOrigin: null, rootParentId: id, rootOrigin: null, videoMetadata: metadata });
}
