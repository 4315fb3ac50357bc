import { MemoryVideoState } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { velocityBlock } from "../src/analytics/velocity.js";
import { frameImage, frameMetadata, tracked, videoRunner } from "./analytics-fixtures.js";

const box = (cx: number, cy: number, half = 10): [number, number, number, number] => [cx - half, cy - half, cx + half, cy + half];

type Row = { box: [number, number, number, number]; id: number | null };

type Run = (params: Partial<Parameters<typeof velocityBlock.run>[0]>) => Promise<Record<string, unknown>>;

/** Each column of the velocity output, per detection, for frame `frame` of a 10 fps file at 50 px/m. */
async function velocities(run: Run, frame: number, rows: Row[], extra: Record<string, unknown> = {}) {
  const out = await run({ image: frameImage(frameMetadata(frame, { fps: 10 })), detections: tracked(rows), pixels_per_meter: 50, ...extra });
  const d = out["velocity_detections"] as ReturnType<typeof tracked>;
  return { velocity: d.data["velocity"], speed: d.data["speed"], smoothed_velocity: d.data["smoothed_velocity"], smoothed_speed: d.data["smoothed_speed"], ids: d.data["tracker_id"] };
}

/** Elementwise toBeCloseTo over nested number arrays (frame times n / 10 are not exact binary fractions). */
function expectClose(actual: unknown, expected: unknown): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e));
  } else expect(actual as number).toBeCloseTo(expected as number, 9);
}

describe("velocity@v1", () => {
  it("measures a box moving 10 px per frame at 10 fps as 100 px/s = 2 m/s at 50 px/m, smoothed by alpha 0.5", async () => {
    const { run } = videoRunner(velocityBlock);
    const results = [];
    for (let n = 0; n < 4; n++) {
      // Track 1 moves right 10 px per frame; track 2 moves 6 px right and 8 px down per frame (10 px, diagonally).
      results.push(await velocities(run, n, [{ box: box(100 + 10 * n, 100), id: 1 }, { box: box(300 + 6 * n, 300 + 8 * n), id: 2 }]));
    }
    // Frame 0: nothing seen before, all zero. Then the raw velocity is 2 m/s each frame, and the
    // average moves halfway towards it every frame: 1, 1.5, 1.75.
    expectClose(results.map((r) => r.velocity), [
      [[0, 0], [0, 0]],
      [[2, 0], [1.2, 1.6]],
      [[2, 0], [1.2, 1.6]],
      [[2, 0], [1.2, 1.6]],
    ]);
    expectClose(results.map((r) => r.speed), [[0, 0], [2, 2], [2, 2], [2, 2]]);
    expectClose(results.map((r) => r.smoothed_velocity), [
      [[0, 0], [0, 0]],
      [[1, 0], [0.6, 0.8]],
      [[1.5, 0], [0.9, 1.2]],
      [[1.75, 0], [1.05, 1.4]],
    ]);
    expectClose(results.map((r) => r.smoothed_speed), [[0, 0], [1, 1], [1.5, 1.5], [1.75, 1.75]]);
    expect(results[3]!.ids).toEqual([1, 2]);
  });

  it("measures over the time since a track was last seen, starts new and unfollowed detections still, and smooths with the given alpha", async () => {
    const { run } = videoRunner(velocityBlock);
    await velocities(run, 0, [{ box: box(0, 0), id: 1 }, { box: box(500, 500), id: 2 }], { smoothing_alpha: 0.25 });
    await velocities(run, 1, [{ box: box(20, 0), id: 1 }], { smoothing_alpha: 0.25 });
    const third = await velocities(
      run,
      3,
      [{ box: box(60, 0), id: 1 }, { box: box(500, 560), id: 2 }, { box: box(40, 0), id: 3 }, { box: box(70, 70), id: null }],
      { smoothing_alpha: 0.25 },
    );
    // Track 1, last seen at frame 1 (x 20, then 4 m/s, smoothed 0.25 * 4 = 1): 40 px in 0.2 s = 4 m/s, smoothed 0.25 * 4 + 0.75 * 1 = 1.75.
    // Track 2, last seen at frame 0: 60 px lower over 0.3 s = 200 px/s = 4 m/s, smoothed 0.25 * 4 + 0.75 * 0 = 1.
    expectClose(third.velocity, [[4, 0], [0, 4], [0, 0], [0, 0]]);
    expectClose(third.smoothed_velocity, [[1.75, 0], [0, 1], [0, 0], [0, 0]]);
    expectClose(third.speed, [4, 4, 0, 0]);
    expectClose(third.smoothed_speed, [1.75, 1, 0, 0]);
  });

  it("reads a stream's frame_timestamp, keeps each video apart, and carries tracks through the state's JSON", async () => {
    const { run, videoState } = videoRunner(velocityBlock);
    const stream = (n: number, video: string) => frameImage(frameMetadata(n, { fps: 4, video, fromFile: false }));
    // Stamps 0.25 s apart: 5 px per frame is 20 px/s (pixels_per_meter 1 keeps pixels).
    await run({ image: stream(0, "a"), detections: tracked([{ box: box(10, 10), id: 1 }]) });
    const b = await run({ image: stream(1, "b"), detections: tracked([{ box: box(15, 10), id: 1 }]) });
    expect((b["velocity_detections"] as ReturnType<typeof tracked>).data["speed"]).toEqual([0]);

    const carried = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(videoState.toJSON())) as Record<string, Record<string, unknown>>);
    const ctx = { signal: new AbortController().signal, step: "step", index: [0], services: { videoState: carried } };
    const next = await velocityBlock.run(
      { image: stream(1, "a"), detections: tracked([{ box: box(15, 10), id: 1 }]), smoothing_alpha: 1, pixels_per_meter: 1 },
      ctx,
    );
    const d = (next as Record<string, ReturnType<typeof tracked>>)["velocity_detections"]!;
    expect(d.data["velocity"]).toEqual([[20, 0]]);
    expect(d.data["smoothed_speed"]).toEqual([20]);
  });

  it("refuses untracked detections and out-of-range smoothing_alpha or pixels_per_meter, and passes an empty frame", async () => {
    const image = frameImage(frameMetadata(0));
    const { run } = videoRunner(velocityBlock);
    await expect(run({ image, detections: tracked([{ box: box(5, 5), id: null }], false) })).rejects.toMatchObject({ code: "untracked_detections" });
    const empty = await run({ image, detections: tracked([], false) });
    expect((empty["velocity_detections"] as ReturnType<typeof tracked>).data["speed"]).toEqual([]);
    const detections = tracked([{ box: box(5, 5), id: 1 }]);
    for (const bad of [{ smoothing_alpha: 0 }, { smoothing_alpha: 1.5 }, { pixels_per_meter: 0 }, { pixels_per_meter: -2 }]) {
      await expect(run({ image, detections, ...bad })).rejects.toMatchObject({ code: "invalid_field" });
    }
  });
});
