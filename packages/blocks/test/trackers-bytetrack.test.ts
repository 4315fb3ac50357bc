/**
 * roboflow_core/trackers_bytetrack@v1 (the `trackers` library's ByteTrack) on synthetic boxes:
 * Roboflow's unit-test scenario, stable ids, the second (low-confidence) association, occlusions
 * within and beyond the lost buffer, and a tracker that survives the store's JSON round trip.
 */
import { describe, expect, it } from "vitest";
import { MemoryVideoState, type Detections } from "@cvflow/engine";
import { byteTrackTrackerBlock } from "../src/trackers/trackers_bytetrack.js";
import { makeDetections } from "./detections-fixture.js";
import { frame, stepContext } from "./video-fixtures.js";

type Box = [number, number, number, number];
/** A frame's boxes, each with its confidence (0.9 when not given). */
type FrameBoxes = (Box | [Box, number])[];

interface FrameOut {
  /** Tracker id of each input box, or null when the box is not in tracked_detections. */
  ids: (number | null)[];
  fresh: number[];
  seen: number[];
}

const idsOf = (d: Detections) => Array.from({ length: d.length }, (_, i) => d.trackerId(i)!);
const DEFAULTS = Object.fromEntries(Object.entries(byteTrackTrackerBlock.manifest.fields).map(([k, f]) => [k, f.default]));

async function run(frames: readonly FrameBoxes[], params: Record<string, unknown> = {}, fps: number | null = 30, store = new MemoryVideoState()): Promise<FrameOut[]> {
  const ctx = stepContext(store);
  const out: FrameOut[] = [];
  for (const [n, boxes] of frames.entries()) {
    const rows = boxes.map((b, i) => {
      const [box, confidence] = typeof b[0] === "number" ? [b as Box, 0.9] : (b as [Box, number]);
      return { box, confidence, cls: "person", classId: 1, id: `d${i}` };
    });
    const r = (await byteTrackTrackerBlock.run({ ...DEFAULTS, ...params, image: frame("video", n, fps), detections: makeDetections(rows) } as never, ctx)) as Record<string, Detections>;
    const tracked = r["tracked_detections"]!;
    const byDetection = new Map(Array.from({ length: tracked.length }, (_, i) => [tracked.detectionId[i]!, tracked.trackerId(i)!]));
    out.push({ ids: rows.map((row) => byDetection.get(row.id) ?? null), fresh: idsOf(r["new_instances"]!), seen: idsOf(r["already_seen_instances"]!) });
    expect(JSON.parse(JSON.stringify(store.toJSON()))).toEqual(store.toJSON());
  }
  return out;
}

/** A 40 × 80 box whose top-left corner moves by (dx, dy) a frame from (x, y). */
const mover = (x: number, y: number, dx: number, dy: number) => (f: number): Box => [x + dx * f, y + dy * f, x + dx * f + 40, y + dy * f + 80];

describe("trackers_bytetrack@v1", () => {
  it("has Roboflow's defaults", () => {
    expect(DEFAULTS).toMatchObject({
      minimum_iou_threshold: 0.1,
      minimum_consecutive_frames: 2,
      lost_track_buffer: 30,
      track_activation_threshold: 0.7,
      high_conf_det_threshold: 0.6,
      instances_cache_size: 16384,
    });
  });

  it("passes Roboflow's unit-test scenario: ids from the second frame, the same three on the third, new then already seen", async () => {
    // Roboflow's conftest: three 10 px boxes moving 2 px a frame, a fourth that jumps 10 px (IoU 0); fps 1, unknown fps alike.
    const frames: FrameBoxes[] = [
      [[10, 10, 20, 20], [21, 10, 31, 20], [31, 10, 41, 20], [100, 100, 110, 110]],
      [[12, 10, 22, 20], [23, 10, 33, 20], [33, 10, 43, 20], [110, 100, 120, 110]],
      [[14, 10, 24, 20], [25, 10, 35, 20], [35, 10, 45, 20]],
    ];
    for (const fps of [1, null]) {
      const [first, second, third] = await run(frames, { minimum_consecutive_frames: 1 }, fps);
      expect(first!.ids).toEqual([null, null, null, null]);
      // Ids count from 0 per video, in the order the tracks are matched.
      expect(second!.ids).toEqual([0, 1, 2, null]);
      expect(third!.ids).toEqual([0, 1, 2]);
      expect([second!.fresh, second!.seen, third!.fresh, third!.seen]).toEqual([[0, 1, 2], [], [], [0, 1, 2]]);
    }
  });

  it("outputs a track's id from its minimum_consecutive_frames-th matched frame, and keeps one id per object when two pass each other", async () => {
    const a = mover(0, 100, 6, 0);
    const b = mover(400, 110, -6, 0);
    const out = await run(Array.from({ length: 60 }, (_, f) => [a(f), b(f)]));
    expect(out[0]!.ids).toEqual([null, null]);
    expect(out[1]!.ids).toEqual([0, 1]);
    for (const f of out.slice(1)) expect(f.ids).toEqual([0, 1]);
  });

  it("continues a track on weak detections (second association) but starts none from them", async () => {
    const a = mover(0, 100, 4, 0);
    const b = mover(300, 300, 0, 4);
    // a: confident for 5 frames, then 0.3; b: 0.65 throughout — high (>= 0.6) but under the activation threshold 0.7.
    const out = await run(Array.from({ length: 15 }, (_, f) => [[a(f), f < 5 ? 0.9 : 0.3], [b(f), 0.65]] as FrameBoxes));
    expect(out.map((f) => f.ids)).toEqual([[null, null], ...Array(14).fill([0, null])]);
  });

  it("keeps the id through an occlusion shorter than the lost buffer, and forgets it after a longer one", async () => {
    const a = mover(0, 100, 3, 1);
    const hidden = (from: number, to: number) => Array.from({ length: 40 }, (_, f) => (f >= from && f < to ? [] : [a(f)]));
    // lost_track_buffer 10 at 30 fps: a track may miss up to 9 frames.
    const short = await run(hidden(10, 19), { lost_track_buffer: 10 });
    expect(short[9]!.ids[0]).toBe(0);
    expect(short.slice(19).map((f) => f.ids[0])).toEqual(Array(21).fill(0));
    expect(short.flatMap((f) => f.fresh)).toEqual([0]);
    const long = await run(hidden(10, 20), { lost_track_buffer: 10 });
    // Back after 10 missed frames: a new track, whose id comes on its second frame.
    expect(long.slice(20, 22).map((f) => f.ids[0])).toEqual([null, 1]);
    expect(long.at(-1)!.seen).toEqual([1]);
  });

  it("scales the lost buffer by the video's fps: at 15 fps, 10 frames of buffer last 5", async () => {
    const a = mover(0, 100, 3, 1);
    const hidden = (n: number) => Array.from({ length: 20 }, (_, f) => (f >= 5 && f < 5 + n ? [] : [a(f)]));
    expect((await run(hidden(4), { lost_track_buffer: 10 }, 15)).at(-1)!.ids).toEqual([0]);
    expect((await run(hidden(5), { lost_track_buffer: 10 }, 15)).at(-1)!.ids).toEqual([1]);
  });

  it("a video's tracker survives the store's JSON round trip", async () => {
    const a = mover(0, 100, 4, 0);
    const frames = Array.from({ length: 12 }, (_, f) => [a(f)]);
    const whole = await run(frames);
    const store = new MemoryVideoState();
    await run(frames.slice(0, 6), {}, 30, store);
    const resumed = await run(frames.slice(6), {}, 30, MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store.toJSON()))));
    expect(resumed.map((f) => f.ids)).toEqual(whole.slice(6).map((f) => f.ids));
  });
});
