import { MemoryVideoState, type FlowDecision } from "@cvflow/engine";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bufferBlock } from "../src/video/buffer.js";
import { deltaFilterBlock } from "../src/video/delta_filter.js";
import { frameDelayBlock } from "../src/video/frame_delay.js";
import { rateLimiterBlock } from "../src/video/rate_limiter.js";
import { frame, stepContext } from "./video-fixtures.js";

describe("Buffer block", () => {
  it("declares Roboflow's ids, fields and output", () => {
    const { manifest } = bufferBlock;
    expect([manifest.type, ...(manifest.aliases ?? [])]).toEqual(["roboflow_core/buffer@v1", "Buffer"]);
    expect(Object.keys(manifest.fields)).toEqual(["data", "length", "pad"]);
    expect(manifest.fields["pad"]!.default).toBe(false);
    expect(manifest.outputs).toEqual([{ name: "output", kinds: ["list_of_values"] }]);
  });

  it("keeps the last `length` values, newest first", () => {
    const ctx = stepContext();
    const run = (data: unknown) => bufferBlock.run({ data, length: 2, pad: false }, ctx);
    expect(run(1)).toEqual({ output: [1] });
    expect(run(2)).toEqual({ output: [2, 1] });
    expect(run(3)).toEqual({ output: [3, 2] });
  });

  it("pads with null up to `length`", () => {
    const ctx = stepContext();
    const run = (data: unknown) => bufferBlock.run({ data, length: 2, pad: true }, ctx);
    expect(run(1)).toEqual({ output: [1, null] });
    expect(run(2)).toEqual({ output: [2, 1] });
    expect(run(3)).toEqual({ output: [3, 2] });
  });

  it("keeps its state in the run's store as JSON, one buffer per step; a store restored from JSON goes on", () => {
    const store = new MemoryVideoState();
    bufferBlock.run({ data: "a", length: 3, pad: false }, stepContext(store, "first"));
    bufferBlock.run({ data: "b", length: 3, pad: false }, stepContext(store, "second"));
    const restored = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store)));
    expect(bufferBlock.run({ data: "c", length: 3, pad: false }, stepContext(restored, "first"))).toEqual({ output: ["c", "a"] });
  });
});

describe("Rate Limiter block", () => {
  afterEach(() => vi.useRealTimers());

  it("declares Roboflow's ids and fields; flow control with no outputs", () => {
    const { manifest } = rateLimiterBlock;
    expect(manifest.type).toBe("roboflow_core/rate_limiter@v1");
    expect(manifest.flowControl).toBe(true);
    expect(Object.keys(manifest.fields)).toEqual(["cooldown_seconds", "depends_on", "next_steps", "video_reference_image"]);
    expect(manifest.fields["cooldown_seconds"]).toMatchObject({ default: 1.0, schema: { minimum: 0 } });
    expect(manifest.outputs).toEqual([]);
  });

  it("on video time: once per cooldown of frame_number / fps, per video", () => {
    const ctx = stepContext();
    const run = (video: string, n: number) =>
      rateLimiterBlock.run({ cooldown_seconds: 1, depends_on: 1, next_steps: ["$steps.upload"], video_reference_image: frame(video, n, 10) }, ctx) as FlowDecision;
    // 10 fps: frames 0, 10, 20 are a second apart; 5 and 19 fall inside a cooldown.
    const a = [0, 5, 10, 19, 20].map((n) => run("a", n).next.length);
    // Video b, interleaved, starts its own cooldown at its frame 3.
    const b = [3, 4, 13].map((n) => run("b", n).next.length);
    expect(a).toEqual([1, 0, 1, 0, 1]);
    expect(b).toEqual([1, 0, 1]);
    expect(run("a", 20)).toEqual({ next: [] });
  });

  it("without a reference image (or one with no frame rate): the wall clock", () => {
    vi.useFakeTimers({ now: new Date("2025-01-01T00:00:00Z") });
    const ctx = stepContext();
    const run = (image: ReturnType<typeof frame> | null) =>
      rateLimiterBlock.run({ cooldown_seconds: 2, depends_on: 1, next_steps: ["s"], video_reference_image: image }, ctx);
    expect(run(null)).toEqual({ next: ["s"] });
    vi.advanceTimersByTime(1999);
    expect(run(null)).toEqual({ next: [] });
    vi.advanceTimersByTime(1);
    expect(run(null)).toEqual({ next: ["s"] });
    // A frame with no fps reads the clock too (its state is its video's).
    expect(run(frame("c", 100, null))).toEqual({ next: ["s"] });
    expect(run(frame("c", 200, null))).toEqual({ next: [] });
  });

  it("a zero cooldown never throttles", () => {
    const ctx = stepContext();
    for (let i = 0; i < 3; i++) expect(rateLimiterBlock.run({ cooldown_seconds: 0, depends_on: 1, next_steps: ["s"], video_reference_image: frame("v", 7) }, ctx)).toEqual({ next: ["s"] });
  });
});

describe("Frame Delay block", () => {
  const run = (ctx: ReturnType<typeof stepContext>, video: string, n: number, offset = -2, data: unknown = `${video}${n}`) =>
    frameDelayBlock.run({ image: frame(video, n), data, offset, default_value: "none" }, ctx);

  it("declares Roboflow's ids (Time Travel's too), fields and outputs", () => {
    const { manifest } = frameDelayBlock;
    expect([manifest.type, ...(manifest.aliases ?? [])]).toEqual(["roboflow_core/frame_delay@v1", "FrameDelay", "roboflow_core/time_travel@v1", "TimeTravel"]);
    expect(Object.keys(manifest.fields)).toEqual(["image", "data", "offset", "default_value"]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(["output", "is_available", "reference_frame_number"]);
  });

  it("answers the data of `offset` frames ago on the same video; two videos interleaved keep their own", () => {
    const ctx = stepContext();
    expect(run(ctx, "a", 0)).toEqual({ output: "none", is_available: false, reference_frame_number: 0 });
    expect(run(ctx, "b", 0)).toEqual({ output: "none", is_available: false, reference_frame_number: 0 });
    expect(run(ctx, "a", 1)).toEqual({ output: "none", is_available: false, reference_frame_number: 1 });
    expect(run(ctx, "a", 2)).toEqual({ output: "a0", is_available: true, reference_frame_number: 2 });
    expect(run(ctx, "b", 2)).toEqual({ output: "b0", is_available: true, reference_frame_number: 2 });
    // A skipped frame (a subsampled stream): frame 5 - 2 = 3 was never seen.
    expect(run(ctx, "a", 5)).toMatchObject({ output: "none", is_available: false });
    expect(run(ctx, "a", 6, 0)).toMatchObject({ output: "a6", is_available: true });
  });

  it("keeps only the frames the deepest offset asked so far can reach, as JSON", () => {
    const store = new MemoryVideoState();
    const ctx = stepContext(store);
    for (let n = 0; n < 10; n++) run(ctx, "a", n, -3);
    expect(JSON.parse(JSON.stringify(store))).toEqual({ step: { a: { frames: [[6, "a6"], [7, "a7"], [8, "a8"], [9, "a9"]], deepestOffset: 3 } } });
    // A shallower offset later does not shrink the window the deeper one needs.
    run(ctx, "a", 10, -1);
    expect(run(ctx, "a", 11, -3)).toMatchObject({ output: "a8", is_available: true });
  });

  it("frame numbers going backwards are a new stream: what was kept is dropped", () => {
    const ctx = stepContext();
    for (let n = 10; n < 13; n++) run(ctx, "a", n, -1);
    expect(run(ctx, "a", 1, -1)).toMatchObject({ output: "none", is_available: false });
    expect(run(ctx, "a", 2, -1)).toMatchObject({ output: "a1", is_available: true });
  });

  it("refuses a positive offset, or one deeper than -256, when compiled and when run", () => {
    expect(frameDelayBlock.validate!({ offset: 1 })).toEqual([{ property: "offset", message: expect.stringContaining("<= 0") }]);
    expect(frameDelayBlock.validate!({ offset: -257 })).toEqual([{ property: "offset", message: expect.stringContaining("-256") }]);
    expect(frameDelayBlock.validate!({ offset: -256 })).toEqual([]);
    expect(frameDelayBlock.validate!({ offset: "$inputs.offset" })).toEqual([]);
    expect(() => run(stepContext(), "a", 0, 3)).toThrow(/offset must be <= 0, got 3/);
  });
});

describe("Delta Filter block", () => {
  it("declares Roboflow's id and fields; flow control with no outputs", () => {
    const { manifest } = deltaFilterBlock;
    expect(manifest.type).toBe("roboflow_core/delta_filter@v1");
    expect(manifest.flowControl).toBe(true);
    expect(Object.keys(manifest.fields)).toEqual(["image", "value", "next_steps"]);
    expect(manifest.outputs).toEqual([]);
  });

  it("goes on only when the value changed since the video's last frame; videos interleaved keep their own", () => {
    const ctx = stepContext();
    const run = (video: string, value: unknown) => (deltaFilterBlock.run({ image: frame(video, 0), value, next_steps: ["$steps.csv"] }, ctx) as FlowDecision).next.length;
    expect([run("a", 5), run("a", 5), run("b", 5), run("a", 6), run("b", 5), run("b", 6), run("a", 6)]).toEqual([1, 0, 1, 1, 0, 1, 0]);
    // Lists and objects compare by content.
    expect([run("a", [1, { x: 2 }]), run("a", [1, { x: 2 }]), run("a", [1, { x: 3 }])]).toEqual([1, 0, 1]);
  });

  it("before any value the last one counts as null: a first null does not go on", () => {
    const ctx = stepContext();
    const run = (value: unknown) => (deltaFilterBlock.run({ image: frame("v", 0), value, next_steps: ["s"] }, ctx) as FlowDecision).next.length;
    expect([run(null), run(0), run(null)]).toEqual([0, 1, 1]);
  });
});
