import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoPipeline, VideoSource, type VideoFrame } from "../src/index.js";
import { ffmpegChildren, testClip, videoMissing } from "./video-assets.js";

const NOOP_WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [],
  outputs: [{ type: "JsonField", name: "image", selector: "$inputs.image" }],
};

// A clip ffmpeg makes: these need ffmpeg only, not the shared vtest.avi.
/** This process's threads (Linux): a source's frame reader is a worker thread, to be gone once it is closed. */
const threadCount = () => readdirSync("/proc/self/task").length;

describe.skipIf(videoMissing("video live sources and shutdown"))("live sources and shutdown", () => {
  let dir: string;
  let clip: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cvflow-video-"));
    clip = testClip(dir, "testsrc.mp4", { seconds: 2, fps: 25 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function consumeSlowly(source: VideoSource): Promise<number> {
    let taken = 0;
    for await (const _ of source) {
      taken++;
      // A consumer slower than the clip's 25 frames a second.
      await sleep(100);
    }
    return taken;
  }

  it("a live source keeps up with a slow consumer by dropping frames (counted); a file never drops", async () => {
    const live = await VideoSource.open(clip, { live: true, realtime: true });
    const liveTaken = await consumeSlowly(live);
    expect(live.counters.decoded).toBe(50);
    expect(live.counters.dropped).toBeGreaterThan(0);
    expect(liveTaken + live.counters.dropped).toBe(50);

    const file = await VideoSource.open(clip);
    expect(await consumeSlowly(file)).toBe(50);
    expect(file.counters).toMatchObject({ decoded: 50, dropped: 0, taken: 50 });
  });

  it("a live source whose consumer holds the main thread (as session.run does) drops the oldest frames, never the newest", async () => {
    const live = await VideoSource.open(clip, { live: true, realtime: true });
    const blocked = new Int32Array(new SharedArrayBuffer(4));
    let last: VideoFrame | undefined;
    let taken = 0;
    for await (const frame of live) {
      taken++;
      last = frame;
      // 100 ms with the main thread held: no event, no message is handled meanwhile.
      Atomics.wait(blocked, 0, 0, 100);
    }
    expect(live.counters.decoded).toBe(50);
    expect(live.counters.dropped).toBeGreaterThan(0);
    expect(taken + live.counters.dropped).toBe(50);
    expect(last?.frameId).toBe(50);
  });

  it("a live source's frames carry their arrival time and the rate they arrive at", async () => {
    const live = await VideoSource.open(clip, { live: true, realtime: true });
    const frames: VideoFrame[] = [];
    for await (const frame of live) frames.push(frame);
    const last = frames.at(-1)!;
    expect(last.comesFromVideoFile).toBe(false);
    expect(last.fps).toBe(25);
    expect(last.measuredFps).toBeGreaterThan(0);
    // -re paces ffmpeg at the clip's rate: 50 frames at 25 a second arrive over about 2 s, never in a burst.
    expect(last.frameTimestamp.getTime() - frames[0]!.frameTimestamp.getTime()).toBeGreaterThanOrEqual(1000);
    expect(frames.every((f, i) => i === 0 || f.frameTimestamp >= frames[i - 1]!.frameTimestamp)).toBe(true);
  });

  it("terminate() mid-stream ends join(), kills ffmpeg and leaves no process or thread behind", async () => {
    const threads = threadCount();
    let seen = 0;
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: clip,
      workflow: NOOP_WORKFLOW,
      realtime: true,
      onPrediction: () => {
        if (++seen === 3) pipeline.terminate();
      },
    });
    pipeline.start();
    await pipeline.join();
    expect(seen).toBe(3);
    expect(pipeline.status()).toMatchObject({ state: "terminated", framesProcessed: 3 });
    expect(ffmpegChildren()).toEqual([]);
    expect(threadCount()).toBe(threads);
  });

  it("an AbortSignal terminates it too; a source that cannot be read fails join() with its error", async () => {
    const threads = threadCount();
    const controller = new AbortController();
    const pipeline = VideoPipeline.initWithWorkflow({ videoReference: clip, workflow: NOOP_WORKFLOW, realtime: true, signal: controller.signal, onPrediction: () => controller.abort() });
    pipeline.start();
    await pipeline.join();
    expect(pipeline.status().state).toBe("terminated");

    const broken = VideoPipeline.initWithWorkflow({ videoReference: [clip, join(dir, "missing.mp4")], workflow: NOOP_WORKFLOW, onPrediction: () => undefined });
    broken.start();
    await expect(broken.join()).rejects.toMatchObject({ code: "video_source_unreadable" });
    expect(broken.status().state).toBe("failed");
    expect(ffmpegChildren()).toEqual([]);
    expect(threadCount()).toBe(threads);
  });
});
