import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MemoryVideoState, type Detections } from "@cvflow/engine";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { skipping } from "@cvflow/vision/test-assets";
import { describe, expect, it } from "vitest";
import { backgroundSubtractionBlock } from "../src/video/background_subtraction.js";
import { ellipseOffsets } from "../src/video/morphology.js";
import { motionDetectionBlock } from "../src/video/motion_detection.js";
import { stepContext } from "./video-fixtures.js";

type MotionOutput = { motion: boolean; alarm: boolean; detections: Detections; motion_zones: number[][][] };

/** An RGB frame of `video`: grey 50 with white squares [x, y, size]. */
function squares(video: string, n: number, width: number, height: number, boxes: readonly [number, number, number][]): WorkflowImage {
  const data = new Uint8Array(width * height * 3).fill(50);
  for (const [bx, by, size] of boxes) for (let y = by; y < by + size; y++) data.fill(255, (y * width + bx) * 3, (y * width + bx + size) * 3);
  return asFrame(video, n, { data, width, height });
}

function asFrame(video: string, n: number, { data, width, height }: { data: Uint8Array; width: number; height: number }): WorkflowImage {
  return new WorkflowImage(
    { data, width, height, channels: 3 },
    { ...inputLineage(`${video}-${n}`), videoMetadata: { video_identifier: video, frame_number: n, frame_timestamp: "2025-01-01T00:00:00Z", fps: 10, measured_fps: null, comes_from_video_file: true } },
  );
}

const defaults = { minimum_contour_area: 200, morphological_kernel_size: 3, threshold: 16, history: 30, detection_zone: null, suppress_first_detections: true };
const detect = (ctx: ReturnType<typeof stepContext>, image: WorkflowImage, overrides: Partial<typeof defaults> | { detection_zone: unknown } = {}) =>
  motionDetectionBlock.run({ ...defaults, ...overrides, image }, ctx) as MotionOutput;

describe("Motion Detection block", () => {
  it("declares Roboflow's id, fields, defaults and outputs", () => {
    const { manifest } = motionDetectionBlock;
    expect(manifest.type).toBe("roboflow_core/motion_detection@v1");
    expect(Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]))).toEqual({ image: undefined, ...defaults });
    expect(manifest.fields["image"]!.aliases).toEqual(["images"]);
    expect(manifest.outputs.map((o) => o.name)).toEqual(["motion", "alarm", "detections", "motion_zones"]);
  });

  it("OpenCV's 3x3 and 5x5 elliptical elements", () => {
    const grid = (size: number) => {
      const rows = Array.from({ length: size }, () => ".".repeat(size).split(""));
      const r = Math.floor(size / 2);
      for (const [dx, dy] of ellipseOffsets(size)) rows[dy + r]![dx + r] = "#";
      return rows.map((row) => row.join(""));
    };
    expect(grid(3)).toEqual([".#.", "###", ".#."]);
    expect(grid(5)).toEqual(["..#..", "#####", "#####", "#####", "..#.."]);
  });

  it("a square moving across: nothing while the history fills (30 frames), then motion where the square is; one alarm", () => {
    const ctx = stepContext();
    const results = Array.from({ length: 40 }, (_, n) => {
      const x = Math.floor((n / 40) * (320 - 30));
      return { x, out: detect(ctx, squares("v", n, 320, 240, [[x, 105, 30]])) };
    });
    expect(results.slice(0, 30).every(({ out }) => !out.motion && out.detections.length === 0)).toBe(true);
    const later = results.slice(30);
    expect(later.every(({ out }) => out.motion)).toBe(true);
    expect(later.map(({ out }) => out.alarm)).toEqual([true, ...new Array(9).fill(false)]);
    for (const { x, out } of later) {
      // Regions lie on the square's rows; one is on the square now. (Others are its trail, and the
      // ghost of where it stood in frame 0, which the model takes for background and unlearns slowly.)
      const boxes = Array.from({ length: out.detections.length }, (_, i) => out.detections.box(i));
      expect(boxes.every(([, y1, , y2]) => y1! >= 105 && y2! <= 135)).toBe(true);
      expect(boxes.some(([x1, , x2]) => x1! <= x + 15 && x2! >= x + 15)).toBe(true);
      expect(out.detections.className.every((c) => c === "motion")).toBe(true);
      expect(Array.from(out.detections.confidence)).toEqual(new Array(out.detections.length).fill(1));
      expect(out.motion_zones).toHaveLength(out.detections.length);
    }
  });

  it("a region smaller than minimum_contour_area is not motion; a 30x30 one is, unless outside the detection zone", () => {
    const still = () => squares("v", 0, 320, 240, []);
    const run = (frame: WorkflowImage, detection_zone: unknown = null) => {
      const ctx = stepContext();
      for (let n = 0; n < 32; n++) detect(ctx, still(), { detection_zone });
      return detect(ctx, frame, { detection_zone });
    };
    expect(run(squares("v", 32, 320, 240, [[50, 100, 5]]))).toMatchObject({ motion: false, motion_zones: [] });
    const big = run(squares("v", 32, 320, 240, [[50, 100, 30]]));
    expect(big.motion).toBe(true);
    expect(big.detections.box(0)).toEqual([50, 100, 80, 130]);
    // A zone as JSON text covering the square, and one beside it.
    expect(run(squares("v", 32, 320, 240, [[50, 100, 30]]), JSON.stringify([[10, 10], [310, 10], [310, 230], [10, 230]])).motion).toBe(true);
    expect(run(squares("v", 32, 320, 240, [[50, 100, 30]]), [[150, 10], [310, 10], [310, 230], [150, 230]]).motion).toBe(false);
  });

  it("the first frame is suppressed; without suppression it is run (an empty model sees no motion yet)", () => {
    const frame = squares("v", 0, 320, 240, [[50, 100, 30]]);
    expect(detect(stepContext(), frame)).toMatchObject({ motion: false, alarm: false, motion_zones: [] });
    expect(detect(stepContext(), frame, { suppress_first_detections: false })).toMatchObject({ motion: false, alarm: false });
  });

  it("two videos interleaved keep their own background: a still one sees no motion while the other's square moves", () => {
    const store = new MemoryVideoState();
    const ctx = stepContext(store);
    const moving: boolean[] = [];
    const still: boolean[] = [];
    for (let n = 0; n < 20; n++) {
      moving.push(detect(ctx, squares("moving", n, 160, 120, [[5 * n, 40, 30]]), { history: 5 }).motion);
      still.push(detect(ctx, squares("still", n, 160, 120, [[60, 40, 30]]), { history: 5 }).motion);
    }
    expect(moving.slice(5).every(Boolean)).toBe(true);
    expect(still.some(Boolean)).toBe(false);
    // The model is JSON data: a store restored from JSON detects the same on the next frame.
    const restored = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store)));
    const next = squares("moving", 20, 160, 120, [[100, 40, 30]]);
    const a = detect(stepContext(restored), next, { history: 5 });
    const b = detect(ctx, next, { history: 5 });
    expect(a.motion_zones).toEqual(b.motion_zones);
    expect(a.motion).toBe(true);
  });
});

describe("Background Subtraction block", () => {
  it("declares Roboflow's id, fields, defaults and output", () => {
    const { manifest } = backgroundSubtractionBlock;
    expect(manifest.type).toBe("roboflow_core/background_subtraction@v1");
    expect(Object.fromEntries(Object.entries(manifest.fields).map(([k, f]) => [k, f.default]))).toEqual({ image: undefined, threshold: 16, history: 30 });
    expect(manifest.outputs).toEqual([{ name: "image", kinds: ["image"] }]);
  });

  it("a white mask (3 channels) exactly where a square appeared on a learned background, the frame's lineage kept", () => {
    const ctx = stepContext();
    for (let n = 0; n < 10; n++) backgroundSubtractionBlock.run({ image: squares("v", n, 64, 48, []), threshold: 16, history: 30 }, ctx);
    const frame = squares("v", 10, 64, 48, [[10, 20, 8]]);
    const { image } = backgroundSubtractionBlock.run({ image: frame, threshold: 16, history: 30 }, ctx) as { image: WorkflowImage };
    expect([image.width, image.height, image.channels]).toEqual([64, 48, 3]);
    const { data } = image.pixels;
    const white: number[] = [];
    for (let p = 0; p < 64 * 48; p++) {
      expect(data[p * 3]).toBe(data[p * 3 + 1]);
      if (data[p * 3] === 255) white.push(p);
    }
    expect(white).toHaveLength(64);
    expect(white.every((p) => p % 64 >= 10 && p % 64 < 18 && Math.floor(p / 64) >= 20 && Math.floor(p / 64) < 28)).toBe(true);
    expect(image.videoMetadata.frame_number).toBe(10);
  });
});

const VTEST = fileURLToPath(new URL("../../../../shared/videos/vtest.avi", import.meta.url));
const FFMPEG = "/usr/bin/ffmpeg";
const skip = !existsSync(FFMPEG)
  ? skipping("motion on vtest.avi", ["ffmpeg is absent (apt-get install ffmpeg)"])
  : !existsSync(VTEST)
    ? skipping("motion on vtest.avi", ["../shared/videos/vtest.avi is absent (the project's shared test video; also in Debian's opencv-doc)"])
    : undefined;

describe.skipIf(skip)("motion on real frames (vtest.avi, people walking)", () => {
  const WIDTH = 768;
  const HEIGHT = 576;
  const COUNT = 24;
  /** The first COUNT frames as raw RGB, straight from ffmpeg's pipe. */
  const frames = () => {
    const raw = execFileSync(FFMPEG, ["-v", "error", "-i", VTEST, "-frames:v", String(COUNT), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { maxBuffer: 64 << 20 });
    const size = WIDTH * HEIGHT * 3;
    expect(raw.length).toBe(size * COUNT);
    return Array.from({ length: COUNT }, (_, n) => new Uint8Array(raw.buffer, raw.byteOffset + n * size, size));
  };

  it("motion is found where the frame changed (people walking), none on a repeated identical frame", () => {
    const rgb = frames();
    const ctx = stepContext();
    let detected = 0;
    for (let n = 0; n < COUNT; n++) {
      const walking = detect(ctx, asFrame("walk", n, { data: rgb[n]!, width: WIDTH, height: HEIGHT }), { history: 10 });
      const repeated = detect(ctx, asFrame("still", n, { data: rgb[0]!, width: WIDTH, height: HEIGHT }), { history: 10 });
      expect(repeated.motion).toBe(false);
      if (n < 10) expect(walking.motion).toBe(false);
      if (n < 10 || !walking.motion) continue;
      // Each region covers pixels that differ from an earlier frame the model learned from (a person moved
      // there, or moved away: the model unlearns where people stood as a ghost), and one covers pixels
      // that changed over the last 5 frames.
      const changedIn = ([x1, y1, x2, y2]: number[], since: Uint8Array) => {
        let changed = 0;
        for (let y = y1!; y < y2!; y++) {
          for (let x = x1!; x < x2!; x++) {
            const p = (y * WIDTH + x) * 3;
            if (Math.abs(rgb[n]![p]! - since[p]!) + Math.abs(rgb[n]![p + 1]! - since[p + 1]!) + Math.abs(rgb[n]![p + 2]! - since[p + 2]!) > 60) changed++;
          }
        }
        return changed;
      };
      const boxes = Array.from({ length: walking.detections.length }, (_, i) => walking.detections.box(i));
      for (const box of boxes) expect(Math.max(...rgb.slice(0, n).map((earlier) => changedIn(box, earlier)))).toBeGreaterThan(20);
      expect(Math.max(...boxes.map((box) => changedIn(box, rgb[n - 5]!)))).toBeGreaterThan(100);
      detected++;
    }
    // vtest's people walk through every frame: motion on every frame after the history.
    expect(detected).toBe(COUNT - 10);
  });

  it("background subtraction: a sparse mask on walking frames, an empty one on a repeated frame", () => {
    const rgb = frames();
    const ctx = stepContext();
    const share = (video: string, n: number, data: Uint8Array) => {
      const { image } = backgroundSubtractionBlock.run({ image: asFrame(video, n, { data, width: WIDTH, height: HEIGHT }), threshold: 16, history: 10 }, ctx) as { image: WorkflowImage };
      let white = 0;
      for (let p = 0; p < WIDTH * HEIGHT; p++) if (image.pixels.data[p * 3] === 255) white++;
      return white / (WIDTH * HEIGHT);
    };
    const walking: number[] = [];
    for (let n = 0; n < COUNT; n++) {
      walking.push(share("walk", n, rgb[n]!));
      expect(share("still", n, rgb[0]!)).toBe(0);
    }
    const last = walking.at(-1)!;
    expect(last).toBeGreaterThan(0.002);
    expect(last).toBeLessThan(0.2);
  });
});
