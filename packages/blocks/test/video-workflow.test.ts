import { BlockRegistry, MemoryVideoState, WorkflowEngine, type Block } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { deltaFilterBlock } from "../src/video/delta_filter.js";
import { frameDelayBlock } from "../src/video/frame_delay.js";
import { rateLimiterBlock } from "../src/video/rate_limiter.js";
import { frame } from "./video-fixtures.js";

const engine = new WorkflowEngine({ registry: new BlockRegistry([rateLimiterBlock, frameDelayBlock, deltaFilterBlock] as Block[]) });

/** Per frame: a rate limiter (1 s of video time) gates a frame delay of the value two frames back; a delta filter gates another. */
const definition = {
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "value" },
  ],
  steps: [
    { type: "roboflow_core/rate_limiter@v1", name: "limit", depends_on: "$inputs.image", next_steps: ["$steps.previous"], video_reference_image: "$inputs.image" },
    { type: "TimeTravel", name: "previous", image: "$inputs.image", data: "$inputs.value", offset: -2 },
    { type: "roboflow_core/delta_filter@v1", name: "changed", image: "$inputs.image", value: "$inputs.value", next_steps: ["$steps.on_change"] },
    { type: "FrameDelay", name: "on_change", image: "$inputs.image", data: "$inputs.value", offset: 0 },
  ],
  outputs: [
    { type: "JsonField", name: "previous", selector: "$steps.previous.output" },
    { type: "JsonField", name: "changed_to", selector: "$steps.on_change.output" },
  ],
};

describe("video blocks in a workflow, frame after frame with one store", () => {
  it("flow control and state carry across runs per video", async () => {
    const store = new MemoryVideoState();
    const run = async (video: string, n: number, value: string) =>
      (await engine.run(definition, { image: frame(video, n, 2), value }, { serialize: false, services: { videoState: store } })).outputs[0];
    const results = [];
    // 2 fps: frames 0, 2, 4 are a second apart.
    for (const [video, n, value] of [["a", 0, "x"], ["b", 0, "p"], ["a", 1, "x"], ["a", 2, "y"], ["b", 1, "q"], ["b", 2, "q"], ["a", 3, "y"], ["a", 4, "z"]] as const) {
      results.push(await run(video, n, value));
    }
    expect(results).toEqual([
      { previous: null, changed_to: "x" }, // a0: the limiter lets it through; nothing two frames back
      { previous: null, changed_to: "p" }, // b0: its own limiter and filter
      { previous: null, changed_to: null }, // a1: half a second after a0: limited (the delay skipped); x again
      { previous: "x", changed_to: "y" }, // a2: a second after a0: a0's value
      { previous: null, changed_to: "q" }, // b1: limited
      { previous: "p", changed_to: null }, // b2: b0's value; q again
      { previous: null, changed_to: null }, // a3: limited; y again
      { previous: "y", changed_to: "z" }, // a4: a2's value
    ]);
  });
});
