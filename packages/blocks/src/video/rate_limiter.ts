/**
 * Rate Limiter: lets its next steps run at most once per `cooldown_seconds`. Time is the video's
 * (frame_number / fps of `video_reference_image`) when that image is given with a frame rate, else
 * the wall clock, as Roboflow's. With a reference image the cooldown is kept per video; without
 * one, once for the step.
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { ALL_VIDEOS, stepState, videoOf } from "./step-state.js";

interface RateLimiterParams {
  [key: string]: unknown;
  cooldown_seconds: number;
  depends_on: unknown;
  next_steps: string[];
  video_reference_image: WorkflowImage | null;
}

interface RateLimiterState {
  /** Seconds (video time or epoch) when the next steps last ran; null before the first time. */
  lastRunAt: number | null;
}

export const rateLimiterBlock = defineBlock<RateLimiterParams>({
  manifest: {
    type: "roboflow_core/rate_limiter@v1",
    name: "Rate Limiter",
    description: "Limits the rate at which a branch of the workflow runs: at most once per cooldown.",
    family: "flow_control",
    stateful: true,
    flowControl: true,
    fields: {
      cooldown_seconds: { description: "Least time between two runs of the next steps.", schema: { type: "number", minimum: 0 }, default: 1.0 },
      depends_on: { description: "The step output whose presence triggers the limiter.", kinds: ["*"], required: true },
      next_steps: { description: "The steps to run when the cooldown has passed.", shape: "list", steps: true, required: true },
      video_reference_image: { description: "A video frame whose time (frame_number / fps) replaces the wall clock.", kinds: ["image"], default: null },
    },
    outputs: [],
  },
  run({ cooldown_seconds, next_steps, video_reference_image }, ctx) {
    const frame = video_reference_image?.videoMetadata;
    const videoTime = frame?.fps ? frame.frame_number / frame.fps : null;
    const now = videoTime ?? Date.now() / 1000;
    const state = stepState<RateLimiterState>(ctx, video_reference_image ? videoOf(video_reference_image) : ALL_VIDEOS, () => ({ lastRunAt: null }));
    if (state.lastRunAt !== null && now - state.lastRunAt < cooldown_seconds) return { next: [] };
    state.lastRunAt = now;
    return { next: next_steps };
  },
});
