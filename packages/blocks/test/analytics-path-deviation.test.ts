import { MemoryVideoState, type Detections } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { pathDeviationV1Block, pathDeviationV2Block } from "../src/analytics/path_deviation.js";
import { frameImage, frameMetadata, tracked, videoRunner } from "./analytics-fixtures.js";

const box = (cx: number, cy: number, half = 10): [number, number, number, number] => [cx - half, cy - half, cx + half, cy + half];
const deviation = (out: Record<string, unknown>) => (out["path_deviation_detections"] as Detections).data["path_deviation"];

/** A horizontal reference path along y = 0, a point every 10 px. */
const REFERENCE = [[0, 0], [10, 0], [20, 0], [30, 0]];

describe("path_deviation_analytics@v2", () => {
  it("gives each track the Fréchet distance of its path so far: along the reference, parallel to it, doubling back", async () => {
    const { run } = videoRunner(pathDeviationV2Block);
    const along = [0, 10, 20, 30];
    const back = [0, 20, 10, 30];
    const results: unknown[] = [];
    for (let n = 0; n < 4; n++) {
      const detections = tracked([
        { box: box(along[n]!, 0), id: 1 },
        { box: box(along[n]!, 5), id: 2 },
        { box: box(back[n]!, 0), id: 3 },
      ]);
      results.push(deviation(await run({ image: frameImage(frameMetadata(n)), detections, reference_path: REFERENCE })));
    }
    // Track 1: its first point must be coupled with every reference point still ahead (30 px
    // away at worst); each step along takes 10 px of that off, and the whole path matches (0).
    // Track 2: the same, 5 px off the line. Track 3 jumps ahead to (20, 0), 10 px from the end;
    // back at (10, 0) its last point must couple with the reference's end, 20 px away; once at
    // the end, its (20, 0) and (10, 0) cannot both sit on their match in order: 10 px.
    const expected = [
      [30, Math.hypot(30, 5), 30],
      [20, Math.hypot(20, 5), 10],
      [10, Math.hypot(10, 5), 20],
      [0, 5, 10],
    ];
    results.forEach((row, n) => (row as number[]).forEach((d, i) => expect(d).toBeCloseTo(expected[n]![i]!, 12)));
    expect(results[3]).toEqual([0, 5, 10]);
  });

  it("matches Roboflow's unit test: a path off at its last point by (1, 1) is sqrt(2) away; follows the anchor; an unfollowed detection is its own one-point path", async () => {
    const { run } = videoRunner(pathDeviationV2Block);
    const reference_path = [[0, 0], [1, 1], [2, 2], [3, 3]];
    const path = [[0, 0], [1, 1], [2, 2], [4, 4]] as const;
    let last: unknown;
    for (const [n, [x, y]] of path.entries()) {
      // BOTTOM_CENTER of a box 2 px wide and tall whose bottom centre is (x, y).
      const detections = tracked([{ box: [x - 1, y - 2, x + 1, y], id: 9 }]);
      last = deviation(await run({ image: frameImage(frameMetadata(n)), detections, reference_path, triggering_anchor: "BOTTOM_CENTER" }));
    }
    expect(last).toEqual([Math.SQRT2]);
    const lone = await run({ image: frameImage(frameMetadata(4)), detections: tracked([{ box: [2, 1, 4, 3], id: null }]), reference_path });
    // Its one point (3, 2) against the whole reference: farthest from (0, 0), sqrt(13).
    expect(deviation(lone)).toEqual([Math.sqrt(13)]);
  });

  it("recomputes the paths so far when the reference path changes (a step input may)", async () => {
    const { run } = videoRunner(pathDeviationV2Block);
    for (const [n, x] of [0, 10].entries()) {
      await run({ image: frameImage(frameMetadata(n)), detections: tracked([{ box: box(x, 0), id: 1 }]), reference_path: REFERENCE });
    }
    // Path (0,0) (10,0) (20,0) against (0,0) (20,0): (10,0) is 10 px from either end.
    const out = await run({ image: frameImage(frameMetadata(2)), detections: tracked([{ box: box(20, 0), id: 1 }]), reference_path: [[0, 0], [20, 0]] });
    expect(deviation(out)).toEqual([10]);
  });

  it("refuses untracked detections and a reference path that is not 2 or more points", async () => {
    const image = frameImage(frameMetadata(0));
    const { run } = videoRunner(pathDeviationV2Block);
    await expect(run({ image, reference_path: REFERENCE, detections: tracked([{ box: box(5, 5), id: null }], false) })).rejects.toMatchObject({
      code: "untracked_detections",
    });
    const detections = tracked([{ box: box(5, 5), id: 1 }]);
    for (const reference_path of [[[0, 0]], [[0, 0], [1]], [[0, 0], [1, "2"]], "0,0 1,1"]) {
      await expect(run({ image, detections, reference_path })).rejects.toMatchObject({ code: "invalid_field" });
    }
  });
});

describe("path_deviation_analytics@v1", () => {
  it("reads the video from its metadata input, keeps each video's paths apart, and carries them through the state's JSON", async () => {
    const { run, videoState } = videoRunner(pathDeviationV1Block);
    const frame = (n: number, video: string, x: number) => ({ metadata: frameMetadata(n, { video }), detections: tracked([{ box: box(x, 0), id: 1 }]), reference_path: REFERENCE });
    await run(frame(0, "a", 0));
    await run(frame(1, "a", 10));
    expect(deviation(await run(frame(0, "b", 20)))).toEqual([20]);

    const carried = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(videoState.toJSON())) as Record<string, Record<string, unknown>>);
    const ctx = { signal: new AbortController().signal, step: "step", index: [0], services: { videoState: carried } };
    const a = await pathDeviationV1Block.run({ ...frame(2, "a", 20), triggering_anchor: "CENTER" }, ctx);
    const b = await pathDeviationV1Block.run({ ...frame(1, "b", 30), triggering_anchor: "CENTER" }, ctx);
    expect([deviation(a as Record<string, unknown>), deviation(b as Record<string, unknown>)]).toEqual([[10], [20]]);
  });
});
