/**
 * A video job's input (`{"video", "max_fps"?, "segment_frames"?}`): validation at its pointers,
 * with the bucket rules images follow, and its split into segments of taken frames.
 */
import { WorkflowError } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { parseJob } from "../src/index.js";
import { namingSource, videoSegments } from "../src/video-job.js";

const context = { job: "j1", bucket: "cvflow-local" };
const base = { workspace: "demo", workflow: { workspace: "demo", id: "detect" } };

function issues(input: unknown): { code: string; pointer: string }[] {
  try {
    parseJob({ ...base, input }, context);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).status).toBe(400);
    return ((error as WorkflowError).details["errors"] as { code: string; pointer: string }[]).map(({ code, pointer }) => ({ code, pointer }));
  }
  throw new Error("expected the job to be refused");
}

describe("a video job's input", () => {
  it("takes an s3:// video, with segment_frames defaulting to 500", () => {
    expect(parseJob({ ...base, input: { video: "s3://data/clips/vtest.avi" } }, context).input).toEqual({ video: "s3://data/clips/vtest.avi", segment_frames: 500 });
    expect(parseJob({ ...base, input: { video: "s3://cvflow-local/uploads/demo/a.mp4", max_fps: 2.5, segment_frames: 50 } }, context).input).toEqual({
      video: "s3://cvflow-local/uploads/demo/a.mp4",
      max_fps: 2.5,
      segment_frames: 50,
    });
  });

  it("lists every problem at its pointer", () => {
    expect(issues({ video: "https://example.com/a.mp4", max_fps: 0, segment_frames: 1.5, start: 3 })).toEqual([
      { code: "unknown_field", pointer: "/input/start" },
      { code: "invalid_source", pointer: "/input/video" },
      { code: "invalid_max_fps", pointer: "/input/max_fps" },
      { code: "invalid_segment_frames", pointer: "/input/segment_frames" },
    ]);
    expect(issues({ video: "s3://data/clips/", segment_frames: 100_001 })).toEqual([
      { code: "invalid_source", pointer: "/input/video" },
      { code: "invalid_segment_frames", pointer: "/input/segment_frames" },
    ]);
    expect(issues({ video: 42, max_fps: "10" })).toEqual([
      { code: "invalid_source", pointer: "/input/video" },
      { code: "invalid_max_fps", pointer: "/input/max_fps" },
    ]);
  });

  it("reads the service's bucket as images do: its own workspace's uploads, no reserved area", () => {
    expect(issues({ video: "s3://cvflow-local/uploads/other/a.mp4" })).toEqual([{ code: "forbidden_location", pointer: "/input/video" }]);
    expect(issues({ video: "s3://cvflow-local/keys/a.mp4" })).toEqual([{ code: "forbidden_location", pointer: "/input/video" }]);
    expect(issues({ video: "s3://cvflow-local/workspaces/demo/a.mp4" })).toEqual([{ code: "forbidden_location", pointer: "/input/video" }]);
  });
});

describe("videoSegments", () => {
  const probe = { width: 768, height: 576, fps: 10, frameCount: 250, durationSeconds: 25, codec: "msmpeg4v3" };

  it("cuts the taken frames into segments of segment_frames; the last runs to the end", () => {
    const { items, frames } = videoSegments("s3://b/v.avi", probe, { video: "s3://b/v.avi", segment_frames: 100 });
    expect(frames).toBe(250);
    expect(items).toEqual([
      { image: "segment-00001", source: "s3://b/v.avi", segment: { first_frame: 1, last_frame: 100 } },
      { image: "segment-00002", source: "s3://b/v.avi", segment: { first_frame: 101, last_frame: 200 } },
      { image: "segment-00003", source: "s3://b/v.avi", segment: { first_frame: 201, last_frame: null } },
    ]);
  });

  it("counts taken frames under max_fps: 4 fps of a 10 fps video takes every 3rd frame, 84 of 250", () => {
    const { items, frames } = videoSegments("s3://b/v.avi", probe, { video: "s3://b/v.avi", max_fps: 4, segment_frames: 40 });
    expect(frames).toBe(84);
    expect(items.map((item) => item.segment)).toEqual([
      { first_frame: 1, last_frame: 118 },
      { first_frame: 121, last_frame: 238 },
      { first_frame: 241, last_frame: null },
    ]);
  });

  it("refuses a video that declares no frame rate or length", () => {
    expect(() => videoSegments("s3://b/v.mkv", { ...probe, frameCount: null }, { video: "s3://b/v.mkv", segment_frames: 10 })).toThrow(/no frame rate or length/);
  });
});

describe("namingSource", () => {
  it("puts the s3:// name in place of the presigned URL (a credential) in ffmpeg's errors", () => {
    const url = "http://127.0.0.1:9000/b/v.avi?X-Amz-Signature=abc";
    const named = namingSource(new WorkflowError("video_decode_failed", `Decoding the video "${url}" failed: broken`, 500, { video_reference: url }), { url, source: "s3://b/v.avi" }) as WorkflowError;
    expect([named.code, named.message, named.status, named.details]).toEqual(["video_decode_failed", 'Decoding the video "s3://b/v.avi" failed: broken', 500, { video_reference: "s3://b/v.avi" }]);
    const other = new Error("not a workflow error");
    expect(namingSource(other, { url, source: "s3://b/v.avi" })).toBe(other);
  });
});
