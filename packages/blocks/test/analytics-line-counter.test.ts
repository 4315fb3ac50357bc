import { MemoryVideoState, WorkflowError } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { lineCounterV1Block, lineCounterV2Block } from "../src/analytics/line_counter.js";
import { frameImage, frameMetadata, tracked, videoRunner } from "./analytics-fixtures.js";

const box = (cx: number, cy: number, half = 10): [number, number, number, number] => [cx - half, cy - half, cx + half, cy + half];

describe("line_counter@v1", () => {
  it("counts a track whose anchor changes side, each way once, and none that stays, appears, or passes beyond the segment's end", async () => {
    // Vertical line x = 50 from y = 0 to 500: the in side is x > 50 (supervision's left of start -> end, y down).
    const { run } = videoRunner(lineCounterV1Block);
    const params = { line_segment: [[50, 0], [50, 500]], triggering_anchor: "TOP_LEFT" };
    const first = await run({
      ...params,
      metadata: frameMetadata(0),
      detections: tracked([
        { box: [40, 10, 45, 15], id: 1 }, // crosses in next frame
        { box: [60, 20, 65, 25], id: 2 }, // crosses out next frame
        { box: [40, 30, 45, 35], id: 3 }, // stays
        { box: [40, 600, 45, 605], id: 5 }, // beyond the segment's end (y > 500)
      ]),
    });
    expect(first).toEqual({ count_in: 0, count_out: 0 });
    const second = await run({
      ...params,
      metadata: frameMetadata(1),
      detections: tracked([
        { box: [60, 10, 65, 15], id: 1 },
        { box: [40, 20, 45, 25], id: 2 },
        { box: [41, 30, 46, 35], id: 3 },
        { box: [60, 40, 65, 45], id: 4 }, // first seen
        { box: [60, 600, 65, 605], id: 5 },
      ]),
    });
    expect(second).toEqual({ count_in: 1, count_out: 1 });
  });

  it("counts a track crossing twice each way exactly, and one seen again on the other side after frames away", async () => {
    // Horizontal line y = 100 from x = 0 to 200: the in side is y < 100.
    const { run } = videoRunner(lineCounterV1Block);
    const centres = [60, 90, 110, 130, 95, 105, 80];
    const counts: [number, number][] = [];
    for (const [n, cy] of centres.entries()) {
      const rows = [{ box: box(100, cy), id: 7 }];
      if (n === 0) rows.push({ box: box(150, 50), id: 8 });
      if (n === centres.length - 1) rows.push({ box: box(150, 150), id: 8 });
      const out = await run({ line_segment: [[0, 100], [200, 100]], metadata: frameMetadata(n), detections: tracked(rows) });
      counts.push([out["count_in"] as number, out["count_out"] as number]);
    }
    expect(counts).toEqual([[0, 0], [0, 0], [0, 1], [0, 1], [1, 1], [1, 2], [2, 3]]);
  });

  it("keeps counts per video, and carries them through the state's JSON (a video job's next invocation)", async () => {
    const { run, videoState } = videoRunner(lineCounterV1Block);
    const line = { line_segment: [[0, 100], [200, 100]] };
    await run({ ...line, metadata: frameMetadata(0, { video: "a" }), detections: tracked([{ box: box(50, 80), id: 1 }]) });
    await run({ ...line, metadata: frameMetadata(1, { video: "a" }), detections: tracked([{ box: box(50, 120), id: 1 }]) });
    expect(await run({ ...line, metadata: frameMetadata(0, { video: "b" }), detections: tracked([{ box: box(50, 120), id: 1 }]) })).toEqual({ count_in: 0, count_out: 0 });

    const carried = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(videoState.toJSON())) as Record<string, Record<string, unknown>>);
    const ctx = { signal: new AbortController().signal, step: "step", index: [0], services: { videoState: carried } };
    const next = await lineCounterV1Block.run(
      { ...line, triggering_anchor: "CENTER", metadata: frameMetadata(2, { video: "a" }), detections: tracked([{ box: box(50, 80), id: 1 }]) },
      ctx,
    );
    expect(next).toEqual({ count_in: 1, count_out: 1 });
  });

  it("refuses untracked detections, passes an empty frame, and checks the line as Roboflow does", async () => {
    const { run } = videoRunner(lineCounterV1Block);
    const metadata = frameMetadata(0);
    const line_segment = [[15, 0], [15, 1000]];
    await expect(run({ line_segment, metadata, detections: tracked([{ box: [10, 10, 11, 11], id: null }], false) })).rejects.toMatchObject({
      code: "untracked_detections",
    });
    expect(await run({ line_segment, metadata, detections: tracked([], false) })).toEqual({ count_in: 0, count_out: 0 });

    const detections = tracked([{ box: [10, 10, 11, 11], id: 1 }]);
    const refusal = async (segment: unknown) => {
      const error = await videoRunner(lineCounterV1Block).run({ line_segment: segment, metadata, detections }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowError);
      return [(error as WorkflowError).code, (error as WorkflowError).message];
    };
    expect(await refusal([[15, 0]])).toEqual(["invalid_field", "roboflow_core/line_counter@v1 requires line_segment to be a list of exactly 2 points"]);
    expect(await refusal([[15, 0], [15, 1000], [3, 3]])).toEqual(["invalid_field", "roboflow_core/line_counter@v1 requires line_segment to be a list of exactly 2 points"]);
    expect((await refusal([1, 2]))[1]).toMatch(/each point of line_segment to be a list of exactly 2 coordinates/);
    expect((await refusal([["a", 1], [2, 3]]))[1]).toMatch(/each coordinate of line_segment to be a number/);
    expect((await refusal([[4, 4], [4, 4]]))[1]).toMatch(/2 points to differ/);
  });
});

describe("line_counter@v2", () => {
  it("reads the video from the frame image and returns this frame's crossers; with no anchor all four corners must change side", async () => {
    const { run } = videoRunner(lineCounterV2Block);
    const line_segment = [[0, 100], [200, 100]];
    // Track 1: above, straddling (ignored), below -> out. Track 2: below, then above -> in.
    const frames = [
      [{ box: [40, 60, 60, 80], id: 1 }, { box: [140, 120, 160, 140], id: 2 }],
      [{ box: [40, 90, 60, 110], id: 1 }, { box: [140, 115, 160, 135], id: 2 }],
      [{ box: [40, 120, 60, 140], id: 1 }, { box: [140, 70, 160, 90], id: 2 }],
    ] as const;
    const results = [];
    for (const [n, rows] of frames.entries()) {
      results.push(await run({ line_segment, image: frameImage(frameMetadata(n)), detections: tracked(rows.map((r) => ({ box: [...r.box], id: r.id }))) }));
    }
    expect(results.map((r) => [r["count_in"], r["count_out"]])).toEqual([[0, 0], [0, 0], [1, 1]]);
    const last = results[2]!;
    expect((last["detections_in"] as ReturnType<typeof tracked>).detectionId).toEqual(["d1"]);
    expect((last["detections_out"] as ReturnType<typeof tracked>).detectionId).toEqual(["d0"]);
    expect((last["detections_in"] as ReturnType<typeof tracked>).trackerId(0)).toBe(2);
    expect((results[1]!["detections_in"] as ReturnType<typeof tracked>).length).toBe(0);
  });
});
