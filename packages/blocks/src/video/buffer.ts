/**
 * Buffer: the last `length` values it was given, newest first (padded with null up to `length`
 * when `pad`). Its manifest takes no image, so, as Roboflow's, one buffer serves the step across
 * videos. The values are kept as given, images and detections as the run's own objects (a store
 * carried to another process is encoded with the step-value codec, which keeps them: video-state.ts).
 */
import { defineBlock } from "@cvflow/engine";
import { ALL_VIDEOS, stepState } from "./step-state.js";

interface BufferParams {
  [key: string]: unknown;
  data: unknown;
  length: number;
  pad: boolean;
}

export const bufferBlock = defineBlock<BufferParams>({
  manifest: {
    type: "roboflow_core/buffer@v1",
    aliases: ["Buffer"],
    name: "Buffer",
    description: "Returns an array of the last `length` values passed to it, newest first.",
    family: "fusion",
    stateful: true,
    fields: {
      data: { description: "The value to add to the buffer.", kinds: ["*", "list_of_values", "image"], required: true },
      length: { description: "How many values the buffer keeps.", schema: { type: "integer", minimum: 1 }, required: true },
      pad: { description: "Pad the buffer with null up to `length` values.", schema: { type: "boolean" }, default: false },
    },
    outputs: [{ name: "output", kinds: ["list_of_values"] }],
  },
  run({ data, length, pad }, ctx) {
    const state = stepState(ctx, ALL_VIDEOS, () => ({ values: [] as unknown[] }));
    // Padding nulls are kept, as Roboflow's are: a padded buffer drops them as values come in.
    state.values = [data ?? null, ...state.values].slice(0, length);
    if (pad) while (state.values.length < length) state.values.push(null);
    return { output: [...state.values] };
  },
});
