import { MemoryVideoState, type Detections } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { detectionEventLogBlock } from "../src/analytics/detection_event_log.js";
import { frameImage, frameMetadata, tracked, videoRunner } from "./analytics-fixtures.js";

/** Tracked boxes of the given classes (ids and classes side by side). */
function objects(rows: readonly [id: number | null, className: string][]): Detections {
  return tracked(rows.map(([id], i) => ({ box: [10 * i, 0, 10 * i + 5, 5] as [number, number, number, number], id }))).with({
    className: rows.map(([, c]) => c),
  });
}

// 4 fps: frames are 0.25 s apart, exact in binary, so times compare exactly.
const FPS = 4;
const START = Date.UTC(2024, 8, 17, 10, 0, 0) / 1000;
const image = (n: number, video = "video-1") => frameImage(frameMetadata(n, { fps: FPS, video }));

describe("detection_event_log@v1", () => {
  it("keeps events pending until frame_threshold frames, logs them, and on a clean-up drops the stale ones, giving back the logged", async () => {
    const { run } = videoRunner(detectionEventLogBlock);
    const params = { frame_threshold: 3, flush_interval: 4, stale_frames: 1 };
    const first = await run({ ...params, image: image(0), detections: objects([[1, "dog"]]) });
    expect(first).toMatchObject({ total_logged: 0, total_pending: 1, complete_events: {} });
    expect((first["event_log"] as { pending: Record<string, unknown> }).pending["1"]).toEqual({
      tracker_id: 1,
      class_name: "dog",
      first_seen_frame: 1,
      first_seen_timestamp: START,
      last_seen_frame: 1,
      last_seen_timestamp: START,
      first_seen_relative: 0,
      last_seen_relative: 0,
      frame_count: 1,
    });
    await run({ ...params, image: image(1), detections: objects([[1, "dog"], [2, "cat"]]) });
    const third = await run({ ...params, image: image(2), detections: objects([[1, "dog"], [2, "cat"], [null, "bird"]]) });
    const dog = {
      tracker_id: 1,
      class_name: "dog",
      first_seen_frame: 1,
      first_seen_timestamp: START,
      last_seen_frame: 3,
      last_seen_timestamp: START + 0.5,
      first_seen_relative: 0,
      last_seen_relative: 0.5,
      frame_count: 3,
    };
    expect(third).toMatchObject({ total_logged: 1, total_pending: 1, event_log: { logged: { 1: dog } } });
    expect(Object.keys((third["event_log"] as { pending: object }).pending)).toEqual(["2"]);

    // Run 4 sees nothing (runs since the first: 3 < flush_interval, no clean-up).
    const fourth = await run({ ...params, image: image(3), detections: objects([]) });
    expect(fourth).toMatchObject({ total_logged: 1, total_pending: 1, complete_events: {} });
    // Run 5 cleans up: 1 and 2 were last seen at run 3, 2 runs ago (> stale_frames). The logged
    // dog comes out as complete; the pending cat is dropped silently. 3 is new.
    const fifth = await run({ ...params, image: image(4), detections: objects([[3, "cow"]]) });
    expect(fifth["complete_events"]).toEqual({ 1: dog });
    expect(fifth).toMatchObject({ total_logged: 0, total_pending: 1, event_log: { logged: {}, pending: { 3: { first_seen_frame: 5, first_seen_relative: 1 } } } });
    // An output is a snapshot: the third run's event did not move on with the state.
    expect((third["event_log"] as { logged: Record<string, unknown> }).logged["1"]).toEqual(dog);
  });

  it("counts frames by its own runs (not frame_number), passes the detections through, and logs nothing for untracked ones", async () => {
    const { run } = videoRunner(detectionEventLogBlock);
    const untracked = tracked([{ box: [0, 0, 5, 5], id: null }], false);
    const out = await run({ image: image(40), detections: untracked });
    expect(out["detections"]).toBe(untracked);
    expect(out).toMatchObject({ total_logged: 0, total_pending: 0, event_log: { logged: {}, pending: {} } });
    // Frame 48 is 2 s after frame 40, the video's first seen by this step; it is this step's 2nd run.
    const next = await run({ image: image(48), detections: objects([[7, "dog"]]), frame_threshold: 1 });
    expect(next).toMatchObject({ total_logged: 1, event_log: { logged: { 7: { first_seen_frame: 2, first_seen_relative: 2, first_seen_timestamp: START + 12 } } } });
  });

  it("keeps each video's log apart and carries it through the state's JSON", async () => {
    const { run, videoState } = videoRunner(detectionEventLogBlock);
    await run({ image: image(0, "a"), detections: objects([[1, "dog"]]) });
    const b = await run({ image: image(0, "b"), detections: objects([[1, "cat"]]) });
    expect(b).toMatchObject({ event_log: { pending: { 1: { class_name: "cat", frame_count: 1 } } } });

    const carried = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(videoState.toJSON())) as Record<string, Record<string, unknown>>);
    const ctx = { signal: new AbortController().signal, step: "step", index: [0], services: { videoState: carried } };
    const defaults = { frame_threshold: 2, flush_interval: 30, stale_frames: 300, reference_timestamp: null, fallback_fps: 1 };
    const a = await detectionEventLogBlock.run({ ...defaults, image: image(1, "a"), detections: objects([[1, "dog"]]) }, ctx);
    expect(a).toMatchObject({ total_logged: 1, event_log: { logged: { 1: { class_name: "dog", frame_count: 2, last_seen_frame: 2, last_seen_relative: 0.25 } } } });
  });
});
