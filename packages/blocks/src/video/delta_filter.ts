/**
 * Delta Filter: its next steps run only when `value` differs from the value last seen on the same
 * video (compared as data, deeply). Before any value, the last one counts as null, as Roboflow's.
 */
import { isDeepStrictEqual } from "node:util";
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { stepState, videoOf } from "./step-state.js";

interface DeltaFilterParams {
  [key: string]: unknown;
  image: WorkflowImage;
  value: unknown;
  next_steps: string[];
}

export const deltaFilterBlock = defineBlock<DeltaFilterParams>({
  manifest: {
    type: "roboflow_core/delta_filter@v1",
    name: "Delta Filter",
    description: "Lets the workflow go on only when the input value has changed since the last frame of the video.",
    family: "flow_control",
    stateful: true,
    flowControl: true,
    fields: {
      image: { description: "The frame whose video the value belongs to.", kinds: ["image"], required: true },
      value: { description: "The value to watch.", kinds: ["*"], required: true },
      next_steps: { description: "The steps to run when the value changed.", shape: "list", steps: true, required: true },
    },
    outputs: [],
  },
  run({ image, value, next_steps }, ctx) {
    const state = stepState(ctx, videoOf(image), () => ({ last: null as unknown }));
    const current = value ?? null;
    if (isDeepStrictEqual(state.last, current)) return { next: [] };
    state.last = current;
    return { next: next_steps };
  },
});
