/** One decoded frame and where it sits in its video (Roboflow's VideoFrame). */
import type { RawPixels } from "@cvflow/vision";

export interface VideoFrame {
  /** rgb24, row-major, no padding. */
  image: RawPixels;
  /** 1 for the first frame decoded, counting every decoded frame (skipped and dropped ones too), as Roboflow's frame_id. */
  frameId: number;
  /** A file: when the frame was shot (the file's time less its duration, plus the frame's offset); a live source: when it arrived. */
  frameTimestamp: Date;
  /** The source's place in the pipeline's list of video references. */
  sourceId: number;
  /** What the source declares; null when it declares nothing. */
  fps: number | null;
  /** A file: its declared fps; a live source: the rate frames arrived at lately. */
  measuredFps: number | null;
  comesFromVideoFile: boolean;
}
