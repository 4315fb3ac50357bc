/** Test helpers for the analytics blocks: video frames, tracked boxes, a block run over a sequence of frames with one video state. */
import { Detections, MemoryVideoState, type BlockContext, type BlockParams, type ElementBlock } from "@cvflow/engine";
import { inputLineage, WorkflowImage, type VideoMetadata } from "@cvflow/vision";

/** Frame `n` of a video file at `fps`, stamped at `n / fps` seconds after 2024-09-17T10:00:00Z. */
export function frameMetadata(n: number, { fps = 10, video = "video-1", fromFile = true }: { fps?: number; video?: string; fromFile?: boolean } = {}): VideoMetadata {
  const at = new Date(Date.UTC(2024, 8, 17, 10, 0, 0) + (n * 1000) / fps);
  return { video_identifier: video, frame_number: n, frame_timestamp: at.toISOString(), fps, measured_fps: null, comes_from_video_file: fromFile };
}

/** A 1 x 1 frame image (its pixels are never read) carrying `metadata`. */
export function frameImage(metadata: VideoMetadata): WorkflowImage {
  return new WorkflowImage({ data: new Uint8Array(3), width: 1, height: 1, channels: 3 }, { ...inputLineage("frame"), videoMetadata: metadata });
}

/** Boxes with their tracker ids (null: not followed); `tracked: false` makes detections no tracker has seen. */
export function tracked(rows: readonly { box: [number, number, number, number]; id: number | null }[], tracked = true): Detections {
  const detections = new Detections({
    image: { width: 1000, height: 1000 },
    xyxy: rows.flatMap((r) => r.box),
    confidence: rows.map(() => 0.9),
    classId: rows.map(() => 0),
    className: rows.map(() => "person"),
    detectionId: rows.map((_, i) => `d${i}`),
  });
  return tracked ? detections.withTrackerIds(rows.map((r) => r.id)) : detections;
}

/** Runs a block frame after frame as a video pipeline would: one step, one video state store, defaults for absent fields. */
export function videoRunner<P extends BlockParams>(block: ElementBlock<P>, step = "step") {
  const videoState = new MemoryVideoState();
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([name, spec]) => [name, spec.default]));
  const ctx: BlockContext = { signal: new AbortController().signal, step, index: [0], services: { videoState } };
  return {
    videoState,
    run: async (params: Partial<P>) => (await block.run({ ...defaults, ...params } as P, ctx)) as Record<string, unknown>,
  };
}
