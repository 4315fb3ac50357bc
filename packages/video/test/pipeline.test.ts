import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineBlock } from "@cvflow/engine";
import { createWorkflowEngine } from "@cvflow/blocks";
import type { VideoMetadata, WorkflowImage } from "@cvflow/vision";
import { VideoPipeline, type VideoFrame } from "../src/index.js";
import { testClip, videoMissing } from "./video-assets.js";

/** Counts the frames it has seen per video, in the pipeline's video state, and echoes the frame it got. */
const frameCounter = defineBlock<{ image: WorkflowImage; metadata: VideoMetadata }>({
  manifest: {
    type: "test/frame_counter@v1",
    name: "Frame counter",
    description: "Frames seen so far per video.",
    family: "analytics",
    fields: {
      image: { kinds: ["image"], required: true },
      metadata: { kinds: ["video_metadata"], required: true },
    },
    outputs: [{ name: "seen", kinds: ["integer"] }, { name: "frame_number", kinds: ["integer"] }, { name: "image_video", kinds: ["string"] }, { name: "pixel", kinds: ["integer"] }],
  },
  run: ({ image, metadata }, ctx) => {
    const state = ctx.services.videoState!.get<{ seen: number }>(ctx.step, metadata.video_identifier, () => ({ seen: 0 }));
    state.seen++;
    return { seen: state.seen, frame_number: metadata.frame_number, image_video: image.videoMetadata.video_identifier, pixel: image.pixels.data[0]! };
  },
});

const WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowVideoMetadata", name: "video_metadata" }],
  steps: [{ type: "test/frame_counter@v1", name: "counter", image: "$inputs.image", metadata: "$inputs.video_metadata" }],
  outputs: [{ type: "JsonField", name: "counter", selector: "$steps.counter.*" }],
};

describe.skipIf(videoMissing("video pipeline"))("VideoPipeline", () => {
  let dir: string;
  let short: string;
  let long: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cvflow-video-"));
    short = testClip(dir, "short.mp4", { seconds: 1, fps: 10 });
    long = testClip(dir, "long.mp4", { seconds: 2, fps: 10 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const engine = createWorkflowEngine({ blocks: [frameCounter] });

  it("runs the workflow on every frame with its WorkflowVideoMetadata and one video state for all frames", async () => {
    const got: { result: Record<string, unknown>; frame: VideoFrame }[] = [];
    const pipeline = VideoPipeline.initWithWorkflow({ videoReference: long, workflow: WORKFLOW, engine, onPrediction: (result, frame) => void got.push({ result, frame }) });
    expect(pipeline.status().state).toBe("initialised");
    pipeline.start();
    await pipeline.join();
    expect(got.map(({ result }) => result["counter"])).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ seen: i + 1, frame_number: i + 1, image_video: "0", pixel: got[i]!.frame.image.data[0] })),
    );
    expect(pipeline.videoState.toJSON()).toEqual({ counter: { "0": { seen: 20 } } });
    expect(pipeline.status()).toMatchObject({ state: "ended", framesDecoded: 20, framesProcessed: 20, framesDropped: 0, framesSkipped: 0 });
    expect(pipeline.status().fps).toBeGreaterThan(0);
  });

  it("several sources are a batch: one run per tick, each video counted on its own, a source that ends leaves the others going", async () => {
    let runs = 0;
    const counted = createWorkflowEngine({ blocks: [frameCounter] });
    const run = counted.run.bind(counted);
    counted.run = (...args) => (runs++, run(...args));
    const got: [string, unknown][] = [];
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: [short, long],
      workflow: WORKFLOW,
      engine: counted,
      maxFps: 5,
      onPrediction: (result, frame) => void got.push([String(frame.sourceId), result["counter"]]),
    });
    pipeline.start();
    await pipeline.join();
    const of = (id: string) => got.filter(([source]) => source === id).map(([, counter]) => counter);
    // maxFps 5 on 10 fps clips: every other frame, numbered as decoded.
    expect(of("0")).toEqual([1, 3, 5, 7, 9].map((n, i) => expect.objectContaining({ seen: i + 1, frame_number: n, image_video: "0" })));
    expect(of("1")).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19].map((n, i) => expect.objectContaining({ seen: i + 1, frame_number: n, image_video: "1" })));
    expect(runs).toBe(10);
    expect(pipeline.status()).toMatchObject({ framesProcessed: 15, framesSkipped: 15, framesDropped: 0 });
  });

  it("onPredictions gets each tick's results aligned with the sources, null for a source that has ended", async () => {
    const ticks: { results: (Record<string, unknown> | null)[]; frames: (VideoFrame | null)[] }[] = [];
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: [short, long],
      workflow: WORKFLOW,
      engine,
      onPredictions: (results, frames) => void ticks.push({ results, frames }),
    });
    pipeline.start();
    await pipeline.join();
    // 10 frames of the short clip, 20 of the long one: 20 ticks, the last 10 without the short clip.
    expect(ticks).toHaveLength(20);
    ticks.forEach(({ results, frames }, tick) => {
      expect(frames.map((frame) => frame?.sourceId ?? null)).toEqual(tick < 10 ? [0, 1] : [null, 1]);
      expect(results.map((result) => (result ? (result["counter"] as { frame_number: number }).frame_number : null))).toEqual(tick < 10 ? [tick + 1, tick + 1] : [null, tick + 1]);
    });
  });

  it("pause() stops taking frames until resume()", async () => {
    let seen = 0;
    let paused!: () => void;
    const pausedAt = new Promise<void>((resolve) => (paused = resolve));
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: short,
      workflow: WORKFLOW,
      engine,
      onPrediction: () => {
        if (++seen === 3) {
          pipeline.pause();
          paused();
        }
      },
    });
    pipeline.start();
    await pausedAt;
    // Give the loop every chance to run on: it must not while paused.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toBe(3);
    expect(pipeline.status().state).toBe("paused");
    pipeline.resume();
    await pipeline.join();
    expect(seen).toBe(10);
  });
});
