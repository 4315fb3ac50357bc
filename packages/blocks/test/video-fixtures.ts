/** Test helpers for the video blocks: frames of named videos, and one step's context over a shared store. */
import { MemoryVideoState, type BlockContext } from "@cvflow/engine";
import { inputLineage, WorkflowImage } from "@cvflow/vision";

/** A 2x2 black frame `frameNumber` of `video` at `fps` (null: unknown rate). */
export function frame(video: string, frameNumber: number, fps: number | null = 30): WorkflowImage {
  const lineage = inputLineage(`${video}-${frameNumber}`);
  return new WorkflowImage(
    { data: new Uint8Array(12), width: 2, height: 2, channels: 3 },
    {
      ...lineage,
      videoMetadata: { video_identifier: video, frame_number: frameNumber, frame_timestamp: "2025-01-01T00:00:00Z", fps, measured_fps: null, comes_from_video_file: true },
    },
  );
}

/** The context of step `step` in runs that share `store`, as the frames of a video pipeline do. */
export function stepContext(store = new MemoryVideoState(), step = "step"): BlockContext {
  return { signal: new AbortController().signal, step, index: [0], services: { videoState: store } };
}
