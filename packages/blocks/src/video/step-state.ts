/**
 * How a video block reaches its state: the run's store (every run has one), keyed by the step and
 * the video. Blocks whose Roboflow manifest takes no image keep one state for the step, across
 * videos, as Roboflow's block instance does (ALL_VIDEOS).
 */
import type { BlockContext } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";

export const ALL_VIDEOS = "*";

export function stepState<T>(ctx: BlockContext, videoId: string, init: () => T): T {
  const store = ctx.services.videoState;
  if (!store) throw new Error(`step ${ctx.step}: the run has no video state store`);
  return store.get(ctx.step, videoId, init);
}

/** The video a frame belongs to (a photo is a video of its own, named after the image). */
export function videoOf(image: WorkflowImage): string {
  return image.videoMetadata.video_identifier;
}
