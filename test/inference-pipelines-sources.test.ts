/**
 * A pipeline over several sources on the local stack answers consume as Roboflow's server does
 * (its sink in SinkMode.ADAPTIVE): one result per tick, with an entry per source in the order the
 * sources were given, null for a source that gave no frame that tick.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@cvflow/local";
import { skipping } from "@cvflow/vision/test-assets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClip } from "../packages/video/test/video-assets.js";
import { call, testStack } from "./local-stack.js";

const skip = spawnSync("ffmpeg", ["-version"]).error ? skipping("pipelines over several sources", ["ffmpeg is not installed (apt-get install ffmpeg)"]) : undefined;

const widths = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "width", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] }],
  outputs: [{ type: "JsonField", name: "width", selector: "$steps.width.output" }],
};

describe.skipIf(skip)("a pipeline over several sources", () => {
  let stack: LocalStack;
  let dir: string;
  beforeAll(async () => {
    stack = await testStack();
    dir = mkdtempSync(join(tmpdir(), "cvflow-sources-"));
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("consumes one result per tick, aligned with the sources, null where a source has ended", async () => {
    // 5 frames 160 px wide, then 10 frames 96 px wide: ticks 6-10 have the second source only.
    const short = testClip(dir, "short.mp4", { seconds: 0.5, fps: 10, width: 160 });
    const long = testClip(dir, "long.mp4", { seconds: 1, fps: 10, width: 96, height: 64 });
    const started = await call(stack, "POST", "/inference_pipelines/initialise", {
      body: {
        video_configuration: { type: "VideoConfiguration", video_reference: [short, long] },
        processing_configuration: { type: "WorkflowConfiguration", workflow_specification: widths },
        sink_configuration: { type: "MemorySinkConfiguration", results_buffer_size: 64 },
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const id = started.body.context.pipeline_id as string;

    const consumed: { outputs: ({ width: number } | null)[]; frames_metadata: ({ frame_id: number; source_id: number } | null)[] }[] = [];
    for (let attempt = 0; consumed.length < 10 && attempt < 200; attempt++) {
      const answer = await call(stack, "GET", `/inference_pipelines/${id}/consume`);
      expect(answer.status).toBe(200);
      if (answer.body.outputs.length > 0) consumed.push(answer.body);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(consumed.map(({ outputs }) => outputs.map((output) => output?.width ?? null))).toEqual([
      ...Array.from({ length: 5 }, () => [160, 96]),
      ...Array.from({ length: 5 }, () => [null, 96]),
    ]);
    expect(consumed.map(({ frames_metadata }) => frames_metadata.map((frame) => frame && [frame.source_id, frame.frame_id]))).toEqual(
      Array.from({ length: 10 }, (_, tick) => [tick < 5 ? [0, tick + 1] : null, [1, tick + 1]]),
    );
    expect((await call(stack, "POST", `/inference_pipelines/${id}/terminate`)).status).toBe(200);
  }, 60_000);
});
