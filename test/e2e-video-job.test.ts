/**
 * A video job end to end on the local stack (its S3 server, the batch state machine's definition
 * run locally over functions/batch/*.ts): the first 300 frames of ../shared/videos/vtest.avi
 * (people walking), 3 segments of 100 frames, through yolov8n-640 (people) -> byte_tracker@v3 ->
 * line_counter@v2 + time_in_zone@v3 + a trace visualization. Its rows are those of the single
 * pass (`cvflow process-video`'s processVideo on the same file) — tracker ids, counts and times
 * in zone, across the segments' boundaries at frames 100 and 200 — its mp4 has the single pass's
 * 300 frames, pixel for pixel, and the replay restored the detector's outputs instead of running it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { createS3Client } from "@cvflow/store";
import { missing, skipping } from "@cvflow/vision/test-assets";
import { processVideo } from "../packages/cli/src/video/process-video.js";
import { call, testStack } from "./local-stack.js";

const VTEST = join(import.meta.dirname, "..", "..", "shared", "videos", "vtest.avi");
const SUITE = "video job";
const skip =
  (spawnSync("ffmpeg", ["-version"]).error ? skipping(SUITE, ["ffmpeg is not installed (apt-get install ffmpeg)"]) : undefined) ??
  (existsSync(VTEST) ? undefined : skipping(SUITE, ["../shared/videos/vtest.avi is absent (the project's shared test clip, not part of the repository)"])) ??
  missing(SUITE, { models: ["yolov8n-640"] });

const FRAMES = 300;
const SEGMENT = 100;
/** packages/video/test/vtest-analytics.test.ts's hand-checked line and zone: people cross the line and walk through the zone. */
const LINE = [[600, 225], [600, 420]];
const ZONE = [[520, 240], [680, 240], [680, 340], [520, 340]];
const WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detector", images: "$inputs.image", model_id: "yolov8n-640", class_filter: ["person"] },
    { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$steps.detector.predictions" },
    { type: "roboflow_core/line_counter@v2", name: "line", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", line_segment: LINE, triggering_anchor: "CENTER" },
    { type: "roboflow_core/time_in_zone@v3", name: "zone", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", zone: ZONE },
    { type: "roboflow_core/trace_visualization@v1", name: "trace", image: "$inputs.image", predictions: "$steps.tracker.tracked_detections" },
  ],
  outputs: [
    { type: "JsonField", name: "tracked", selector: "$steps.tracker.tracked_detections" },
    { type: "JsonField", name: "count_in", selector: "$steps.line.count_in" },
    { type: "JsonField", name: "count_out", selector: "$steps.line.count_out" },
    { type: "JsonField", name: "timed", selector: "$steps.zone.timed_detections" },
    { type: "JsonField", name: "trace", selector: "$steps.trace.image" },
  ],
};

type Row = { frame_number: number; frame_timestamp: string; count_in: number; count_out: number; tracked: { predictions: Prediction[] }; timed: { predictions: Prediction[] } };
type Prediction = { tracker_id: number; time_in_zone?: number; detection_id?: string };

/** JSONL rows, each detection without its detection_id (a fresh UUID per model run: the job's come from its segments' runs). */
const rows = (text: string): Row[] => text.split("\n").filter(Boolean).map((line) => JSON.parse(line, (key, value: unknown) => (key === "detection_id" ? undefined : value)) as Row);
/** ffmpeg's MD5 of every decoded frame of an mp4. */
const frameHashes = (path: string): string[] => execFileSync("ffmpeg", ["-v", "error", "-i", path, "-f", "framemd5", "-"], { encoding: "utf8" }).split("\n").filter((line) => line && !line.startsWith("#")).map((line) => line.split(",").at(-1)!.trim());

describe.skipIf(skip)("a video job through the batch state machine", () => {
  let stack: LocalStack;
  let s3: S3Client;
  let dir: string;
  let clip: string;
  let single: { rows: Row[]; mp4: string; framesPerSecond: number };
  let job: { status: any; rows: Row[]; summary: any; mp4: string };
  let id: string;
  /** Polls the job's status until it has finished (a job uploaded as job.json is a 404 until Prepare indexes it). */
  const finished = async (job = id): Promise<any> => {
    for (const deadline = Date.now() + 600_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
      const { status: code, body: status } = await call(stack, "GET", `/batch/jobs/${job}`);
      if (code === 200 && ["succeeded", "completed_with_failures", "failed", "aborted"].includes(status.state)) return status;
      if (Date.now() > deadline) throw new Error(`job ${job} did not finish: ${JSON.stringify(status)}`);
    }
  };
  const read = async (name: string, job = id) => (await s3.send(new GetObjectCommand({ Bucket: stack.s3.bucket, Key: `batches/${job}/output/${name}` }))).Body!.transformToByteArray();
  const text = async (name: string, job = id) => Buffer.from(await read(name, job)).toString("utf8");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cvflow-video-job-"));
    clip = join(dir, "vtest300.avi");
    execFileSync("ffmpeg", ["-v", "error", "-y", "-i", VTEST, "-frames:v", String(FRAMES), "-c", "copy", clip]);
    // Jobs named sliced… replay 120 frames per Finalize invocation, as if each invocation's time ran out there.
    stack = await testStack({ batch: { maxConcurrency: 3 }, env: { CVFLOW_BATCH_FAULTS: JSON.stringify({ jobs: "^sliced", replay_frames: 120 }) } });
    const bucket = stack.s3.bucket;
    s3 = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "videos/vtest300.avi", Body: readFileSync(clip), ContentType: "video/x-msvideo" }));
    // Frame timestamps are the file's time less its duration: the local file gets the object's, so both runs' timestamps agree.
    const modified = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "videos/vtest300.avi" }))).LastModified!;
    utimesSync(clip, modified, modified);

    const submitted = await call(stack, "POST", "/batch/jobs", {
      body: { workflow: { specification: WORKFLOW }, input: { video: `s3://${bucket}/videos/vtest300.avi`, segment_frames: SEGMENT }, aggregation_format: "jsonl", save_image_outputs: true },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    id = submitted.body.job as string;
    const status = await finished();
    const summary = JSON.parse(await text("summary.json"));
    const mp4 = join(dir, "job.mp4");
    if (status.state === "succeeded") writeFileSync(mp4, await read("source_0_output_trace_preview.mp4"));
    job = { status, summary, rows: status.state === "succeeded" ? rows(await text("aggregated_results.jsonl")) : [], mp4 };

    const out = join(dir, "single");
    const result = await processVideo({ video: clip, output: out, workflow: WORKFLOW, outputFileType: "jsonl", saveOutVideo: true });
    single = { rows: rows(readFileSync(join(out, result.results), "utf8")), mp4: join(out, result.videos["trace"]!), framesPerSecond: result.frames / result.seconds };
    // The numbers docs/batch.md quotes: the replay's rate beside the single pass's.
    console.log(`video job: replay ${summary.video?.replay_frames_per_s} frames/s, single pass ${single.framesPerSecond.toFixed(2)} frames/s, job ${summary.duration_s} s`);
  }, 900_000);
  afterAll(async () => {
    s3?.destroy();
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("succeeds with 3 segments of the 300 frames", () => {
    expect(job.status, JSON.stringify(job.status)).toMatchObject({ state: "succeeded", total: 3, done: 3, failed: 0, frames: FRAMES });
    expect(job.summary.video).toMatchObject({ frames: FRAMES, segments: 3 });
  });

  it("gives every row of the single pass: tracker ids, line counts, times in zone, timestamps", () => {
    expect(job.rows).toHaveLength(FRAMES);
    expect(job.rows.map((row) => row.frame_number)).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
    expect(job.rows).toEqual(single.rows);
  });

  it("is not vacuous: people crossed the line and were timed in the zone across the segments' boundaries", () => {
    const last = job.rows.at(-1)!;
    expect(last.count_in + last.count_out).toBeGreaterThanOrEqual(6);
    // Timed across a boundary: after frame 100 or 200, a track's time in zone is longer than the time since that boundary (10 fps).
    const carried = job.rows.flatMap((row) => {
      const boundary = Math.floor((row.frame_number - 1) / SEGMENT) * SEGMENT;
      return boundary === 0 ? [] : row.timed.predictions.filter((p) => p.time_in_zone! > (row.frame_number - boundary) / 10);
    });
    expect(carried.length).toBeGreaterThan(0);
    expect(new Set(job.rows.flatMap((row) => row.tracked.predictions.map((p) => p.tracker_id))).size).toBeGreaterThan(5);
  });

  it("writes the trace mp4 with the single pass's 300 frames, pixel for pixel", () => {
    const hashes = frameHashes(job.mp4);
    expect(hashes).toHaveLength(FRAMES);
    expect(hashes).toEqual(frameHashes(single.mp4));
  });

  it("replayed without running the detector again: its 300 outputs came from the segments' caches", () => {
    // Every frame the replay decoded had the pixels its segment's seek gave: none run whole.
    expect(job.summary.video).toMatchObject({ restored_steps: FRAMES, cached_steps_run: 0, frames_rerun: 0 });
    expect(job.status.last_run).toEqual({ processed: 3, skipped: 0, failed: 0 });
    expect(job.summary.video.replay_invocations).toBe(1);
  });

  it("replays a video longer than one Finalize invocation holds over several, with the same rows and a 300-frame mp4", async () => {
    const sliced = "sliced-video";
    const body = { workspace: stack.workspace, workflow: { specification: WORKFLOW }, input: { video: `s3://${stack.s3.bucket}/videos/vtest300.avi`, segment_frames: SEGMENT }, aggregation_format: "jsonl", save_image_outputs: true };
    await s3.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key: `batches/${sliced}/job.json`, Body: JSON.stringify(body), ContentType: "application/json" }));
    expect(await finished(sliced)).toMatchObject({ state: "succeeded", frames: FRAMES });
    const summary = JSON.parse(await text("summary.json", sliced));
    // 120 + 120 + 60 frames: the video state went from one invocation to the next.
    expect(summary.video).toMatchObject({ frames: FRAMES, replay_invocations: 3, restored_steps: FRAMES, cached_steps_run: 0, frames_rerun: 0 });
    expect(rows(await text("aggregated_results.jsonl", sliced))).toEqual(single.rows);
    const mp4 = join(dir, "sliced.mp4");
    writeFileSync(mp4, await read("source_0_output_trace_preview.mp4", sliced));
    // Three encodings joined: as many frames, though not the single encoding's bits.
    expect(frameHashes(mp4)).toHaveLength(FRAMES);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: `batches/${sliced}/video-replay/` }));
    expect(left.KeyCount ?? 0).toBe(0);
  }, 600_000);

  it("restarted, skips every cached segment and replays the same rows", async () => {
    expect((await call(stack, "POST", `/batch/jobs/${id}/restart`)).status).toBe(202);
    const status = await finished();
    expect(status).toMatchObject({ state: "succeeded", last_run: { processed: 0, skipped: 3, failed: 0 } });
    expect(rows(await text("aggregated_results.jsonl"))).toEqual(job.rows);
  }, 600_000);
});
