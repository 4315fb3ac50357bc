/**
 * `cvflow process-video`'s work (processVideo) on the first 20 frames of ../shared/videos/vtest.avi
 * (people walking): detection, ByteTrack and the annotated frame. One row per frame, an mp4 of the
 * annotated output with as many frames; a run stopped after frame 8 and run again goes on after
 * it, and its rows — tracker ids included, the trackers' state having come from the checkpoint —
 * are the single-pass run's.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { missing, skipping } from "@cvflow/vision/test-assets";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, processVideo, type ProcessVideoOptions } from "../src/video/process-video.js";

const VTEST = join(import.meta.dirname, "..", "..", "..", "..", "shared", "videos", "vtest.avi");
const SUITE = "cvflow process-video";
const skip =
  (spawnSync("ffmpeg", ["-version"]).error ? skipping(SUITE, ["ffmpeg is not installed (apt-get install ffmpeg)"]) : undefined) ??
  (existsSync(VTEST) ? undefined : skipping(SUITE, ["../shared/videos/vtest.avi is absent (the project's shared test clip, not part of the repository)"])) ??
  missing(SUITE, { models: ["yolov8n-640"] });

const FRAMES = 20;
const workflow = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640", confidence: 0.4, class_filter: ["person"] },
    { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$steps.detection.predictions" },
    { type: "roboflow_core/bounding_box_visualization@v1", name: "boxes", image: "$inputs.image", predictions: "$steps.tracker.tracked_detections" },
    // State that holds the run's own values (detections), not JSON: a resume must restore them as they were.
    { type: "roboflow_core/buffer@v1", name: "recent", data: "$steps.tracker.tracked_detections", length: 3 },
  ],
  outputs: [
    { type: "JsonField", name: "tracked", selector: "$steps.tracker.tracked_detections" },
    { type: "JsonField", name: "recent", selector: "$steps.recent.output" },
    { type: "JsonField", name: "annotated", selector: "$steps.boxes.image" },
  ],
};

let clip: string;
const run = (output: string, options: Partial<ProcessVideoOptions> = {}) => processVideo({ video: clip, output, workflow, ...options });
/** The JSONL rows, each detection without its detection_id (a fresh UUID every run). */
const rows = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line, (key, value) => (key === "detection_id" ? undefined : value)) as { frame_number: number; frame_timestamp: string; tracked: { predictions: { tracker_id: number }[] } });

describe.skipIf(skip)("cvflow process-video on vtest.avi", () => {
  beforeAll(() => {
    clip = join(mkdtempSync(join(tmpdir(), "cvflow-video-")), "people.avi");
    execFileSync("ffmpeg", ["-v", "error", "-i", VTEST, "-frames:v", String(FRAMES), "-c", "copy", clip]);
  });

  it("writes one CSV row per frame (frame_number, frame_timestamp, the outputs but images) and an mp4 of the annotated output", async () => {
    const output = mkdtempSync(join(tmpdir(), "cvflow-video-out-"));
    const seen: number[] = [];
    const result = await run(output, { saveOutVideo: true, onProgress: ({ frame }) => seen.push(frame) });
    expect(result).toMatchObject({ frames: FRAMES, resumedAfter: 0, results: "workflow_results.csv", videos: { annotated: "source_0_output_annotated_preview.mp4" } });
    expect(seen).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
    const lines = readFileSync(join(output, "workflow_results.csv"), "utf8").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("frame_number,frame_timestamp,tracked,recent");
    expect(lines.slice(1).map((line) => Number(line.split(",")[0]))).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
    const frames = execFileSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,width,height", "-of", "json", join(output, result.videos["annotated"]!)], { encoding: "utf8" });
    expect(JSON.parse(frames).streams[0]).toEqual({ width: 768, height: 576, nb_read_frames: String(FRAMES) });
  }, 120_000);

  it("resumes after the last frame written, with the trackers' state: the same rows as one pass", async () => {
    const single = mkdtempSync(join(tmpdir(), "cvflow-video-single-"));
    await run(single, { outputFileType: "jsonl" });
    const whole = rows(join(single, "workflow_results.jsonl"));
    expect(whole.map((row) => row.frame_number)).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
    expect(new Set(whole.flatMap((row) => row.tracked.predictions.map((p) => p.tracker_id))).size).toBeGreaterThan(1);

    const resumed = mkdtempSync(join(tmpdir(), "cvflow-video-resumed-"));
    const stop = new Error("stopped after frame 8");
    await expect(run(resumed, { outputFileType: "jsonl", onProgress: ({ frame }) => { if (frame === 8) throw stop; } })).rejects.toBe(stop);
    expect(JSON.parse(readFileSync(join(resumed, CHECKPOINT_FILE), "utf8")).frame_number).toBe(8);
    const again = await run(resumed, { outputFileType: "jsonl" });
    expect(again).toMatchObject({ frames: FRAMES - 8, resumedAfter: 8 });
    expect(rows(join(resumed, "workflow_results.jsonl"))).toEqual(whole);
  }, 180_000);

  it("refuses to resume into a folder of another --max-fps", async () => {
    const output = mkdtempSync(join(tmpdir(), "cvflow-video-other-"));
    await run(output, { maxFps: 5 });
    await expect(run(output)).rejects.toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/--force-reprocessing/) });
    expect((await run(output, { forceReprocessing: true })).frames).toBe(FRAMES);
  }, 120_000);
});
