import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { probeVideo, VideoSource } from "../src/index.js";
import { startProcess } from "../src/ffmpeg.js";
import { ffmpegChildren, videoMissing, VTEST } from "./video-assets.js";

const md5 = (data: Uint8Array) => createHash("md5").update(data).digest("hex");

async function take(source: VideoSource, count: number) {
  const frames = [];
  for (let i = 0; i < count; i++) {
    const frame = await source.next();
    if (!frame) break;
    frames.push(frame);
  }
  await source.close();
  return frames;
}

describe.skipIf(videoMissing("video decode", { vtest: true }))("decoding a video file with ffmpeg", () => {
  it("probes vtest.avi: 768x576, 10 fps, 795 frames", async () => {
    expect(await probeVideo(VTEST)).toMatchObject({ width: 768, height: 576, fps: 10, frameCount: 795, durationSeconds: 79.5, codec: "msmpeg4v3" });
  });

  it("decodes the first 100 frames as rgb24, frame 0 byte for byte what ffmpeg itself gives", async () => {
    const reference = md5(execFileSync("ffmpeg", ["-v", "error", "-i", VTEST, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { maxBuffer: 8 << 20 }));
    const source = await VideoSource.open(VTEST);
    expect(source.live).toBe(false);
    const frames = await take(source, 100);
    expect(frames).toHaveLength(100);
    expect(frames.every((f) => f.image.width === 768 && f.image.height === 576 && f.image.channels === 3 && f.image.data.length === 768 * 576 * 3)).toBe(true);
    expect(md5(frames[0]!.image.data)).toBe(reference);
    expect(md5(frames[1]!.image.data)).not.toBe(reference);
    expect(frames.map((f) => f.frameId)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // A file's frames are 1/fps apart in time; its measured fps is its declared one.
    expect(frames[10]!.frameTimestamp.getTime() - frames[0]!.frameTimestamp.getTime()).toBe(1000);
    expect(frames[0]).toMatchObject({ fps: 10, measuredFps: 10, comesFromVideoFile: true, sourceId: 0 });
    // A file never drops: decoding waited for the consumer.
    expect(source.counters.dropped).toBe(0);
    expect(ffmpegChildren()).toEqual([]);
  });

  it("maxFps takes a frame only once 1/maxFps seconds of video have passed since the last one taken", async () => {
    const five = await take(await VideoSource.open(VTEST, { maxFps: 5 }), 10);
    expect(five.map((f) => f.frameId)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    const three = await VideoSource.open(VTEST, { maxFps: 3 });
    const frames = await take(three, 5);
    expect(frames.map((f) => f.frameId)).toEqual([1, 5, 9, 13, 17]);
    // Three skipped between each two taken, at least.
    expect(three.counters.skipped).toBeGreaterThanOrEqual(12);
    const all = await VideoSource.open(VTEST, { maxFps: 3 });
    let taken = 0;
    for await (const _ of all) taken++;
    // 79.5 s at most 3 a second, each 0.4 s after the last (10 fps has no frame at 0.333 s).
    expect(taken).toBe(199);
    expect(all.counters).toMatchObject({ decoded: 795, skipped: 795 - 199, dropped: 0, taken: 199 });
  });

  it("an unreadable source is one clear error naming it and ffmpeg's reason", async () => {
    const error = await probeVideo("/nonexistent/clip.mp4").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "video_source_unreadable", status: 400 });
    expect((error as Error).message).toBe('Cannot read the video "/nonexistent/clip.mp4": /nonexistent/clip.mp4: No such file or directory');
  });

  it("a missing ffmpeg is one line saying how to install it", async () => {
    const error = await startProcess("cvflow-no-such-ffmpeg", []).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ffmpeg_missing" });
    expect((error as Error).message).toBe("cvflow-no-such-ffmpeg is not installed: apt-get install ffmpeg (Debian/Ubuntu), or put cvflow-no-such-ffmpeg on PATH");
  });
});
