/**
 * The tracking chain on the real clip ../shared/videos/vtest.avi (people walking, 10 fps, 768 x 576),
 * its first 150 frames, as a user runs it: a workflow of yolov8n-640 (people) -> byte_tracker@v3 ->
 * line_counter@v2 and time_in_zone@v3, run by VideoPipeline on the file. Who crosses the line and
 * who walks through the zone was hand-checked on the frames (extracted with ffmpeg, the line and
 * the zone drawn on them); a person's track is the one whose box centre is nearest a point of
 * their path at a frame they are seen unoccluded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Detections } from "@cvflow/engine";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels } from "@cvflow/vision";
import { missing, MODELS_DIR } from "@cvflow/vision/test-assets";
import { VideoPipeline } from "../src/index.js";
import { videoMissing, VTEST } from "./video-assets.js";

const FRAMES = 150;
/** Across the lower walkway, from its top edge down to the grass: people coming in from the right cross it walking left. */
const LINE = [[600, 225], [600, 420]];
/** The walkway's right part, where those people walk through. */
const ZONE_BOX = { x1: 520, y1: 240, x2: 680, y2: 340 };
const ZONE = [[ZONE_BOX.x1, ZONE_BOX.y1], [ZONE_BOX.x2, ZONE_BOX.y1], [ZONE_BOX.x2, ZONE_BOX.y2], [ZONE_BOX.x1, ZONE_BOX.y2]];

const WORKFLOW = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [
    { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detector", images: "$inputs.image", model_id: "yolov8n-640", class_filter: ["person"] },
    { type: "roboflow_core/byte_tracker@v3", name: "tracker", image: "$inputs.image", detections: "$steps.detector.predictions" },
    { type: "roboflow_core/line_counter@v2", name: "line", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", line_segment: LINE, triggering_anchor: "CENTER" },
    { type: "roboflow_core/time_in_zone@v3", name: "zone", image: "$inputs.image", detections: "$steps.tracker.tracked_detections", zone: ZONE },
  ],
  outputs: [
    { type: "JsonField", name: "tracked", selector: "$steps.tracker.tracked_detections" },
    { type: "JsonField", name: "line", selector: "$steps.line.*" },
    { type: "JsonField", name: "timed", selector: "$steps.zone.timed_detections" },
  ],
};

type Seen = [frame: number, centre: [number, number]];

// The line runs down the frame: its "in" side is x > 600 (supervision's rule), so walking right is in.
const CROSSINGS: { who: string; seen: Seen; frame: number; direction: "in" | "out" }[] = [
  { who: "the woman in black walking left on the lower walkway", seen: [1, [662, 282]], frame: 8, direction: "out" },
  { who: "the man in the red and navy jacket carrying papers, first of the pair entering at the right", seen: [31, [647, 301]], frame: 40, direction: "out" },
  { who: "the blonde woman in a black coat beside him", seen: [31, [683, 296]], frame: 45, direction: "out" },
  { who: "the man in a dark jacket entering at the right around frame 41", seen: [61, [633, 287]], frame: 73, direction: "out" },
  { who: "the man in black walking right, away from the lamp post", seen: [121, [524, 254]], frame: 130, direction: "in" },
  { who: "the woman in a white hoodie entering at the right around frame 118", seen: [121, [707, 254]], frame: 133, direction: "out" },
];

/** Hand-checked: the frame each person's centre is first inside the zone (and, where they leave it within the 150 frames and it was checked, the first frame outside again). */
const ZONE_STAYS: { who: string; seen: Seen; enters: number; leaves?: number }[] = [
  { who: "the woman in black, inside from the first frame", seen: [1, [662, 282]], enters: 1, leaves: 16 },
  { who: "the man carrying papers", seen: [31, [647, 301]], enters: 25 },
  { who: "the blonde woman", seen: [31, [683, 296]], enters: 32 },
  { who: "the man in a dark jacket", seen: [61, [633, 287]], enters: 54 },
  { who: "the man in black walking right", seen: [121, [524, 254]], enters: 121 },
  { who: "the woman in a white hoodie", seen: [121, [707, 254]], enters: 124 },
  { who: "the man in a dark jacket and jeans entering at the right around frame 138", seen: [141, [695, 286]], enters: 143 },
];

/** Frames of tolerance on a hand-checked frame: a person's centre moves about 5 px a frame. */
const TOLERANCE = 3;

interface FrameResult {
  frame: number;
  tracked: Detections;
  line: { count_in: number; count_out: number; detections_in: Detections; detections_out: Detections };
  timed: Detections;
}

const ids = (d: Detections) => Array.from({ length: d.length }, (_, i) => d.trackerId(i)!);
const centre = (box: readonly number[]) => [(box[0]! + box[2]!) / 2, (box[1]! + box[3]!) / 2] as const;

const unavailable = () => videoMissing("tracking chain on vtest.avi", { vtest: true }) ?? missing("tracking chain on vtest.avi", { models: ["yolov8n-640"] });

describe.skipIf(unavailable())("yolov8n -> byte_tracker -> line_counter, time_in_zone on vtest.avi's first 150 frames", () => {
  const results: FrameResult[] = [];

  beforeAll(async () => {
    const models = createVisionModels({ modelsDir: MODELS_DIR });
    const pipeline = VideoPipeline.initWithWorkflow({
      videoReference: VTEST,
      workflow: WORKFLOW,
      engine: createWorkflowEngine({ models }),
      models,
      onPrediction: (result, frame) => {
        if (frame.frameId > FRAMES) return;
        results.push({ frame: frame.frameId, ...result } as unknown as FrameResult);
        if (frame.frameId === FRAMES) pipeline.terminate();
      },
    });
    pipeline.start();
    await pipeline.join();
  }, 120_000);
  afterAll(() => results.splice(0));

  const at = (frame: number) => results[frame - 1]!;

  /** The id of the track whose centre on `frame` is nearest `point`, within 25 px (people side by side are ~35 px apart). */
  function trackAt([frame, point]: Seen): number {
    const { tracked } = at(frame);
    const near = ids(tracked)
      .map((id, i) => [id, Math.hypot(centre(tracked.box(i))[0] - point[0], centre(tracked.box(i))[1] - point[1])] as const)
      .filter(([, d]) => d < 25)
      .sort((a, b) => a[1] - b[1]);
    expect(near.length, `a track near ${point.join(",")} on frame ${frame}`).toBeGreaterThan(0);
    return near[0]![0];
  }

  it("runs frames 1 to 150 in order", () => {
    expect(results.map((r) => r.frame)).toEqual(Array.from({ length: FRAMES }, (_, i) => i + 1));
  });

  it("counts each hand-checked crossing once, in its direction, by that person's track, on the frame it happens", () => {
    const seen = results.flatMap((r) => [
      ...ids(r.line.detections_in).map((id) => ({ frame: r.frame, id, direction: "in" })),
      ...ids(r.line.detections_out).map((id) => ({ frame: r.frame, id, direction: "out" })),
    ]);
    expect(seen.map(({ id, direction }) => ({ id, direction }))).toEqual(CROSSINGS.map((c) => ({ id: trackAt(c.seen), direction: c.direction })));
    seen.forEach(({ frame }, i) => expect(Math.abs(frame - CROSSINGS[i]!.frame), CROSSINGS[i]!.who).toBeLessThanOrEqual(TOLERANCE));
    const last = at(FRAMES).line;
    expect([last.count_in, last.count_out]).toEqual([1, 5]);
    // The counts step up on the crossing frames and nowhere else.
    for (const r of results) {
      const before = seen.filter((c) => c.frame <= r.frame);
      expect([r.line.count_in, r.line.count_out], `frame ${r.frame}`).toEqual([before.filter((c) => c.direction === "in").length, before.filter((c) => c.direction === "out").length]);
    }
  });

  it("time_in_zone: a track is timed exactly while its centre is in the zone; its time is 0 on entering and grows by 1/fps a frame until it is seen outside", () => {
    const { x1, y1, x2, y2 } = ZONE_BOX;
    /** Per track, the frame it entered the zone; a frame the track is missing from does not end its stay (as Roboflow's). */
    const entered = new Map<number, number>();
    let timedCount = 0;
    for (const r of results) {
      const timedIds = ids(r.timed);
      ids(r.tracked).forEach((id, j) => {
        const [x, y] = centre(r.tracked.box(j));
        const i = timedIds.indexOf(id);
        // Away from the edges by a pixel: supervision rounds anchors to whole pixels.
        if (x > x1 + 1 && x < x2 - 1 && y > y1 + 1 && y < y2 - 1) expect(i, `frame ${r.frame}: track ${id} at ${x},${y}`).toBeGreaterThanOrEqual(0);
        if (x < x1 - 1 || x > x2 + 1 || y < y1 - 1 || y > y2 + 1) expect(i, `frame ${r.frame}: track ${id} at ${x},${y}`).toBe(-1);
        if (i === -1) return void entered.delete(id);
        timedCount++;
        expect(r.timed.box(i)).toEqual(r.tracked.box(j));
        if (!entered.has(id)) entered.set(id, r.frame);
        expect(r.timed.data["time_in_zone"]![i], `frame ${r.frame}: track ${id}`).toBeCloseTo((r.frame - entered.get(id)!) / 10, 9);
      });
      // Nothing timed that is not a track of this frame.
      expect(timedIds.every((id) => ids(r.tracked).includes(id))).toBe(true);
    }
    expect(timedCount).toBeGreaterThan(100);
  });

  it.each(ZONE_STAYS)("time_in_zone: $who is timed from entering the zone", ({ seen, enters, leaves }) => {
    const id = trackAt(seen);
    const inside = results.filter((r) => ids(r.timed).includes(id)).map((r) => r.frame);
    const [first, last] = [inside[0]!, inside.at(-1)!];
    expect(Math.abs(first - enters)).toBeLessThanOrEqual(TOLERANCE);
    if (leaves !== undefined) expect(Math.abs(last + 1 - leaves)).toBeLessThanOrEqual(TOLERANCE);
    else if (last < FRAMES) expect(ids(at(last + 1).tracked)).toContain(id); // left the zone, not the picture
    // One stay: not seen outside the zone between entering and leaving.
    for (let frame = first; frame <= last; frame++) expect(ids(at(frame).timed)).toEqual(expect.arrayContaining(ids(at(frame).tracked).includes(id) ? [id] : []));
    const timed = at(last).timed;
    expect(timed.data["time_in_zone"]![ids(timed).indexOf(id)]).toBeCloseTo((last - first) / 10, 9);
  });
});
