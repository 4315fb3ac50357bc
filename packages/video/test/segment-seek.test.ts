/**
 * A segment of a file (startFrame, frameLimit) gives exactly the frames a decode from the start
 * gives at those places: same pixels, same frameIds and times, same frames taken under maxFps —
 * what a video job's segments rely on. On vtest.avi (MPEG-4 part 2 in AVI) and on an H.264 mp4
 * with B-frames and a keyframe every 40 frames (so segments start between keyframes).
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takenFileFrames, VideoSource, type VideoSourceOptions } from "../src/index.js";
import { VTEST, videoMissing } from "./video-assets.js";

const missing = videoMissing("video segment seek", { vtest: true });

interface Seen {
  frameId: number;
  seconds: number;
  hash: string;
}

async function decode(path: string, options: VideoSourceOptions = {}): Promise<Seen[]> {
  const source = await VideoSource.open(path, { ...options, live: false, modifiedAt: 0 });
  const seen: Seen[] = [];
  for await (const frame of source) {
    seen.push({ frameId: frame.frameId, seconds: frame.frameTimestamp.getTime(), hash: createHash("sha1").update(frame.image.data).digest("hex") });
  }
  return seen;
}

describe.skipIf(missing)("a segment decodes the same frames as the whole file", () => {
  let dir: string;
  let mp4: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cvflow-seek-"));
    mp4 = join(dir, "clip.mp4");
    execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=8", "-c:v", "libx264", "-g", "40", "-bf", "2", "-pix_fmt", "yuv420p", mp4]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, file, fullFrames] of [
    ["vtest.avi", () => VTEST, 130],
    ["H.264 mp4", () => mp4, 200],
  ] as const) {
    it(`${name}: boundary frames byte-identical, frameIds global`, async () => {
      const full = await decode(file(), { frameLimit: fullFrames });
      expect(full).toHaveLength(fullFrames);
      // Segments of 50 from frame 0, 50, 100, ... (mid-GOP for the mp4: keyframes every 40).
      for (const start of [0, 50, 77, fullFrames - 50]) {
        const segment = await decode(file(), { startFrame: start, frameLimit: 50 });
        expect(segment.map((f) => f.frameId)).toEqual(full.slice(start, start + 50).map((f) => f.frameId));
        expect(segment).toEqual(full.slice(start, start + 50));
      }
    });

    it(`${name}: maxFps takes the frames a decode from the start takes`, async () => {
      const full = await decode(file(), { frameLimit: fullFrames, maxFps: 3 });
      const fps = name === "vtest.avi" ? 10 : 25;
      expect(full.map((f) => f.frameId)).toEqual(takenFileFrames(fullFrames, fps, 3).map((index) => index + 1));
      const segment = await decode(file(), { startFrame: 41, frameLimit: 40, maxFps: 3 });
      expect(segment.length).toBeGreaterThan(0);
      expect(segment).toEqual(full.filter((f) => f.frameId > 41 && f.frameId <= 81));
    });
  }
});
