/**
 * Real detections for tracker tests: yolov8n's people on the first frames of
 * ../shared/videos/vtest.avi (10 fps, 768 × 576), decoded with ffmpeg into a temp dir, and the
 * people those frames show, hand-checked.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Detections } from "@cvflow/engine";
import { decodeImage, inputLineage, type WorkflowImage } from "@cvflow/vision";
import { missing, skipping, SHARED_PHOTOS_DIR } from "@cvflow/vision/test-assets";
import { objectDetectionModelV2Block } from "../src/models/object_detection.js";
import { runModelBlock } from "./model-fixtures.js";

export const VTEST = join(SHARED_PHOTOS_DIR, "..", "videos", "vtest.avi");

/** Why `suite` cannot run here (one line, printed), or undefined. */
export function vtestUnavailable(suite: string): string | undefined {
  if (!hasFfmpeg()) return skipping(suite, ["ffmpeg is not installed (apt-get install ffmpeg)"]);
  if (!existsSync(VTEST)) return skipping(suite, ["../shared/videos/vtest.avi is absent (the project's shared test video; also in Debian's opencv-doc)"]);
  return missing(suite, { models: ["yolov8n-640"] });
}

function hasFfmpeg(): boolean {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export interface VtestFrames {
  /** Frame n (from 0) as a video frame of "vtest" at 10 fps. */
  images: WorkflowImage[];
  /** yolov8n-640's people on each frame. */
  people: Detections[];
}

/** The first `count` frames and their people. */
export async function vtestFrames(count: number): Promise<VtestFrames> {
  const dir = mkdtempSync(join(tmpdir(), "vtest-"));
  try {
    execFileSync("ffmpeg", ["-v", "error", "-i", VTEST, "-frames:v", String(count), join(dir, "%03d.png")]);
    const images: WorkflowImage[] = [];
    for (let n = 0; n < count; n++) {
      const videoMetadata = { video_identifier: "vtest", frame_number: n, frame_timestamp: new Date(n * 100).toISOString(), fps: 10, measured_fps: null, comes_from_video_file: true };
      images.push(await decodeImage(readFileSync(join(dir, `${String(n + 1).padStart(3, "0")}.png`)), { ...inputLineage("image"), videoMetadata }));
    }
    const detected = await runModelBlock(objectDetectionModelV2Block, { images, model_id: "yolov8n-640", class_filter: ["person"] });
    return { images, people: detected.map((d) => d["predictions"] as Detections) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A frame's tracks: tracker id -> box centre. */
export type TrackCentres = Record<number, [number, number]>;

export function trackCentres(tracked: Detections): TrackCentres {
  const centres: TrackCentres = {};
  for (let i = 0; i < tracked.length; i++) {
    const [x1, y1, x2, y2] = tracked.box(i);
    centres[tracked.trackerId(i)!] = [Math.round((x1 + x2) / 2), Math.round((y1 + y2) / 2)];
  }
  return centres;
}

/** The id of the track whose centre on frame `n` is nearest `at`, within 25 px (people walking side by side are ~35 px apart). */
export function idNear(frames: readonly TrackCentres[], n: number, at: readonly [number, number]): number | undefined {
  const near = Object.entries(frames[n]!)
    .map(([id, [x, y]]) => [Number(id), Math.hypot(x - at[0], y - at[1])] as const)
    .filter(([, d]) => d < 25)
    .sort((a, b) => a[1] - b[1]);
  return near[0]?.[0];
}
