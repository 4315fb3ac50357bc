/**
 * Frame Delay (formerly Time Travel): the `data` of `offset` frames ago on the same video (0 is
 * this frame), or `default_value` when that frame was not seen. Each video keeps the frames a
 * lookup can still reach: back to the deepest offset asked so far. Frame numbers going backwards
 * mean a new stream under the same name (a reconnect): what was kept is dropped.
 * Values are kept as given (see buffer.ts on images and detections).
 */
import { defineBlock, type Problem } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { stepState } from "./step-state.js";

/** The deepest offset: every frame back to it is held in memory. */
export const MAX_OFFSET = 256;

interface FrameDelayParams {
  [key: string]: unknown;
  image: WorkflowImage;
  data: unknown;
  offset: number;
  default_value: boolean | number | string | null;
}

interface FrameDelayState {
  /** [frame_number, data], oldest first. */
  frames: [number, unknown][];
  deepestOffset: number;
}

export const frameDelayBlock = defineBlock<FrameDelayParams>({
  manifest: {
    type: "roboflow_core/frame_delay@v1",
    aliases: ["FrameDelay", "roboflow_core/time_travel@v1", "TimeTravel"],
    name: "Frame Delay",
    description: "Reference a value from an earlier frame of the same video (N-k, into the past).",
    family: "fusion",
    stateful: true,
    fields: {
      image: { description: "The frame: its video and frame number index the buffer.", kinds: ["image"], required: true },
      data: {
        description: "The value to remember per frame.",
        kinds: ["*", "list_of_values", "image", "object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction"],
        required: true,
      },
      offset: { description: `Frames back: -1 the previous frame, 0 this one; at least -${MAX_OFFSET}.`, schema: { type: "integer" }, kinds: ["integer"], required: true },
      default_value: { description: "The output when the frame asked for was not seen.", schema: { type: ["boolean", "number", "string", "null"] }, default: null },
    },
    outputs: [
      { name: "output", kinds: ["*"] },
      { name: "is_available", kinds: ["boolean"] },
      { name: "reference_frame_number", kinds: ["integer"] },
    ],
  },
  validate(step) {
    const offset = step["offset"];
    const problem = typeof offset === "number" ? offsetProblem(offset) : undefined;
    return problem ? [{ message: problem, property: "offset" } satisfies Problem] : [];
  },
  run({ image, data, offset, default_value }, ctx) {
    const problem = offsetProblem(offset);
    if (problem) throw invalidField(`step ${ctx.step}: ${problem}`);
    const { video_identifier, frame_number } = image.videoMetadata;
    const state = stepState<FrameDelayState>(ctx, video_identifier || "default", () => ({ frames: [], deepestOffset: 0 }));
    const newest = state.frames.at(-1);
    if (newest && frame_number < newest[0]) {
      state.frames = [];
      state.deepestOffset = 0;
    }
    state.deepestOffset = Math.max(state.deepestOffset, -offset);
    // The same frame number again replaces its value in place, as a dict key does.
    state.frames = state.frames.filter(([n]) => n !== frame_number);
    state.frames.push([frame_number, data ?? null]);
    const target = state.frames.find(([n]) => n === frame_number + offset);
    state.frames = state.frames.filter(([n]) => n >= frame_number - state.deepestOffset);
    return {
      output: target ? target[1] : default_value,
      is_available: target !== undefined,
      reference_frame_number: frame_number,
    };
  },
});

function offsetProblem(offset: number): string | undefined {
  if (!Number.isInteger(offset)) return `offset must be an integer, got ${offset}`;
  if (offset > 0) return `Frame Delay only looks into the past: offset must be <= 0, got ${offset}`;
  if (offset < -MAX_OFFSET) return `offset must be at least -${MAX_OFFSET} (every frame back to it is held in memory), got ${offset}`;
  return undefined;
}
